// h4h sweep (--model NAME | --workload FILE) --hw FILE --set KEY=V1,V2,... [--set ...]
//           [--schema NAME] [--objective latency|energy|edp] --out DIR
//           [--simulate [--jobs N] [--timeout SECONDS] [--resume]] [--max-points N]
//           [--max-sim-events N] [--max-sim-cycles N] [--max-sim-memory-mb MB]
// Evaluates the cartesian product of the swept hardware settings with the analytical estimator and
// writes, atomically: DIR/sweep.csv (a row per point, sweep_table.h has the columns), DIR/sweep.json,
// and DIR/sweep.{png,svg} (latency, energy and EDP against the first swept key, one line per value
// of the second) when gnuplot is installed. --simulate re-runs every point in the SystemC simulator
// in a pool of worker processes and adds the simulated figures and their errors as columns and as
// a second series in the plots.
// A --simulate sweep records each point's simulated outcome as it completes in
// DIR/sweep.partial.jsonl (appended and fsynced; sweep_journal.h); --resume after a crash, a full
// disk or a kill simulates only the points missing there and writes the files an uninterrupted run
// would have written, byte for byte. Points whose worker crashed or timed out are not recorded (a
// resume retries them). The journal is removed once the files are written; a journal found without
// --resume, or one left by other inputs (workload, hardware file, mapping), is refused (exit 2).
// Exit codes: 2 bad input (a bad --set, an unknown key, an out-of-range value at any point, more
// points than --max-points, with --simulate a point whose simulation is predicted to cross a
// --max-sim-* limit of sim/systemc/sim_budget.h, or no point the estimator can evaluate: nothing
// is written); 1 every simulation failed (the files, with the reasons, are written) or a file could
// not be written (the message names it; the previous file stays); 0 otherwise. A point that fails
// (weights pinned resident do not fit, the simulator rejects it, its worker crashed or timed out)
// is a row with the reason.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/progress.h"
#include "nas/cli/sweep_grid.h"
#include "nas/cli/sweep_journal.h"
#include "nas/cli/sweep_plot.h"
#include "nas/cli/sweep_simulate.h"
#include "nas/cli/sweep_table.h"
#include "nas/cli/system_options.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "sim/systemc/sim_budget.h"

namespace h4h {

namespace {

SweepFigures figures_of(const EvalResult& r, const HardwareSpec& hw) {
  SweepFigures f;
  f.ok = r.ok;
  f.status = r.ok ? "ok" : r.reason;
  if (r.ok) {
    f.cycles = r.report.total_cycles;
    f.latency_ms = double(r.report.total_cycles) / hw.clock_hz() * 1e3;
    f.energy_uj = r.report.energy_pj() / 1e6;
  }
  return f;
}

std::string settings_text(const std::vector<Override>& settings) {
  std::string out;
  for (const auto& [key, value] : settings) out += (out.empty() ? "" : ", ") + key + "=" + value;
  return out;
}

SweepFigures figures_of(const SimulationOutcome& s, const HardwareSpec& hw) {
  EvalResult r;
  r.ok = s.ok;
  r.reason = s.reason;
  r.report = s.report;
  return figures_of(r, hw);
}

void make_output_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::runtime_error(dir + ": cannot create directory: " + std::strerror(errno));
}

}  // namespace

void add_sweep_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload, hw, schema = "rule", objective = "latency", out;
    std::vector<std::string> sets;
    bool simulate = false, resume = false;
    int jobs = 0;
    double timeout = 0;
    SimLimits limits;
    double max_points = kDefaultMaxSweepPoints;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("sweep", "Sweep hardware settings (e.g. CIM macros x compute units) and plot the costs");
  cmd->add_option("--model", opt->model, "zoo model name");
  cmd->add_option("--workload", opt->workload, "workload JSON file");
  cmd->add_option("--hw", opt->hw, "hardware YAML")->required();
  cmd->add_option("--set", opt->sets, "KEY=V1,V2,... to sweep (repeatable; one value fixes a key)")->required();
  cmd->add_option("--schema", opt->schema, "mapping schema: npu-only | rule | optimal | optimal-concurrent | mapping JSON file")
      ->capture_default_str();
  cmd->add_option("--objective", opt->objective, "for the optimal schemas: latency | energy | edp")
      ->capture_default_str()
      ->check(CLI::IsMember({"latency", "energy", "edp"}));
  cmd->add_option("--out", opt->out, "output directory")->required();
  CLI::Option* simulate =
      cmd->add_flag("--simulate", opt->simulate, "also run every point in the SystemC simulator (worker processes)");
  cmd->add_option("--jobs", opt->jobs, "with --simulate: worker processes (0: as many as cores)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024))
      ->needs(simulate);
  cmd->add_option("--timeout", opt->timeout, "with --simulate: give up on a point's simulation after this many seconds (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->needs(simulate);
  cmd->add_flag("--resume", opt->resume,
                "with --simulate: continue an interrupted sweep from DIR/sweep.partial.jsonl, simulating only the "
                "points missing there (starts fresh when there is none)")
      ->needs(simulate);
  add_sweep_limit_option(cmd, opt->max_points);
  add_sim_limit_options(cmd, opt->limits, false);
  cmd->callback([&action, opt] {
    action = [opt] {
      const Workload w = resolve_workload(opt->model, opt->workload);
      const std::vector<SweepAxis> axes = parse_sweep_axes(opt->sets);
      std::vector<size_t> counts;
      for (const SweepAxis& a : axes) counts.push_back(a.values.size());
      const std::string too_many = check_sweep_points(counts, opt->max_points);
      if (!too_many.empty()) throw InputError("sweep: " + too_many);
      const std::vector<std::vector<Override>> points = sweep_points(axes);
      std::vector<HardwareSpec> specs;  // every point validated before anything is evaluated
      for (const auto& p : points) specs.push_back(load_hardware(opt->hw, p));

      AnalyticalEvaluator evaluator;
      std::vector<Mapping> mappings;
      std::vector<SweepRow> rows;
      ProgressBar bar("sweep", long(points.size()));
      for (size_t i = 0; i < points.size(); ++i) {
        mappings.push_back(resolve_mapping(opt->schema, w, specs[i], opt->objective));
        SweepRow row;
        row.settings = points[i];
        row.estimated = figures_of(evaluator.evaluate(w, specs[i], mappings.back()), specs[i]);
        row.cim_layers = std::count_if(mappings.back().layers.begin(), mappings.back().layers.end(),
                                       [](const Placement& p) { return p.on_cim(); });
        rows.push_back(row);
        bar.advance();
      }
      bar.finish();
      if (std::none_of(rows.begin(), rows.end(), [](const SweepRow& r) { return r.estimated.ok; }))
        throw InputError(fmt::format("sweep of {} on {} ({}): no point can be evaluated; at {}: {}", w.name, opt->hw,
                                     opt->schema, settings_text(rows.front().settings), rows.front().estimated.status));

      size_t sim_failed = 0;
      std::optional<SweepJournal> journal;
      if (opt->simulate) {
        for (size_t i = 0; i < points.size(); ++i)
          require_sim_budget("sweep: at " + settings_text(points[i]), w, specs[i], mappings[i], opt->limits, false);
        make_output_dir(opt->out);
        journal.emplace(opt->out, opt->resume);
        const std::string hw_text = read_text_file(opt->hw);
        std::vector<std::string> inputs;
        std::vector<size_t> todo;
        for (size_t i = 0; i < points.size(); ++i) {
          inputs.push_back(sweep_point_inputs(w, hw_text, points[i], mappings[i]));
          if (std::optional<SweepFigures> done = journal->find(points[i], inputs[i])) rows[i].simulated = *done;
          else todo.push_back(i);
        }
        if (todo.size() < points.size())
          std::cerr << fmt::format("sweep: resumed from {}: {} of {} points already simulated\n", journal->path(),
                                   points.size() - todo.size(), points.size());
        ProgressBar sim_bar("simulate", long(todo.size()));
        size_t failed_now = 0;
        simulate_points(w, specs, mappings, todo, opt->jobs, opt->timeout,
                        [&](size_t i, const SimulationOutcome& s, bool conclusive) {
                          rows[i].simulated = figures_of(s, specs[i]);
                          if (conclusive) journal->record(points[i], inputs[i], *rows[i].simulated);
                          failed_now += s.ok ? 0 : 1;
                          sim_bar.advance(failed_now ? fmt::format("({} failed)", failed_now) : "");
                        });
        sim_bar.finish();
        sim_failed = size_t(std::count_if(rows.begin(), rows.end(), [](const SweepRow& r) { return !r.simulated->ok; }));
      }

      make_output_dir(opt->out);
      for (const char* name : {"/sweep.csv", "/sweep.json"}) remove_stale_temp_files(opt->out + name);
      std::vector<std::string> keys;
      for (const SweepAxis& a : axes) keys.push_back(a.key);
      const std::string csv = sweep_csv(keys, rows, opt->simulate);
      write_file_atomic(opt->out + "/sweep.csv", csv);
      nlohmann::json points_json = nlohmann::json::array();
      for (const SweepRow& r : rows) points_json.push_back(sweep_row_json(r));
      nlohmann::json doc{{"workload", w.name}, {"hw", opt->hw},          {"schema", opt->schema}, {"objective", opt->objective},
                         {"keys", keys},       {"simulated", opt->simulate}, {"points", points_json}};
      write_file_atomic(opt->out + "/sweep.json", doc.dump(1) + "\n");

      std::vector<SweepPoint> plotted;
      for (const SweepRow& r : rows) {
        SweepPoint p;
        p.settings = r.settings;
        if (r.estimated.ok) p.latency_ms = r.estimated.latency_ms, p.energy_uj = r.estimated.energy_uj;
        if (r.simulated && r.simulated->ok) p.sim_latency_ms = r.simulated->latency_ms, p.sim_energy_uj = r.simulated->energy_uj;
        plotted.push_back(p);
      }
      const bool plots = plot_sweep(opt->out, w.name + " (" + opt->schema + ")", keys, plotted, opt->simulate);
      if (journal) journal->remove();
      std::cout << csv << fmt::format("wrote {}/sweep.{{csv,json}}{}\n", opt->out, plots ? ", sweep.{png,svg}" : "");
      if (opt->simulate && sim_failed > 0)
        std::cerr << fmt::format("sweep: {} of {} simulations failed; their reasons are in the sim_status column\n", sim_failed,
                                 rows.size());
      return opt->simulate && sim_failed == rows.size() ? 1 : 0;
    };
  });
}

}  // namespace h4h
