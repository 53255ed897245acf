// h4h sweep (--model NAME | --workload FILE) --hw FILE --set KEY=V1,V2,... [--set ...]
//           [--schema NAME] [--objective latency|energy|edp] --out DIR
//           [--simulate [--jobs N] [--timeout SECONDS]]
// Evaluates the cartesian product of the swept hardware settings with the analytical estimator and
// writes, atomically: DIR/sweep.csv (a row per point, sweep_table.h has the columns), DIR/sweep.json,
// and DIR/sweep.{png,svg} (latency, energy and EDP against the first swept key, one line per value
// of the second) when gnuplot is installed. --simulate re-runs every point in the SystemC simulator
// in a pool of worker processes and adds the simulated figures and their errors as columns and as
// a second series in the plots.
// Exit codes: 2 bad input (a bad --set, an unknown key, an out-of-range value at any point, or no
// point the estimator can evaluate: nothing is written); 1 every simulation failed (the files,
// with the reasons, are written); 0 otherwise. A point that fails (weights pinned resident do not
// fit, the simulator rejects it) is a row with the reason.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/progress.h"
#include "nas/cli/sweep_grid.h"
#include "nas/cli/sweep_plot.h"
#include "nas/cli/sweep_simulate.h"
#include "nas/cli/sweep_table.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"

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

}  // namespace

void add_sweep_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload, hw, schema = "rule", objective = "latency", out;
    std::vector<std::string> sets;
    bool simulate = false;
    int jobs = 0;
    double timeout = 0;
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
  cmd->callback([&action, opt] {
    action = [opt] {
      const Workload w = resolve_workload(opt->model, opt->workload);
      const std::vector<SweepAxis> axes = parse_sweep_axes(opt->sets);
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
      if (opt->simulate) {
        ProgressBar sim_bar("simulate", long(points.size()));
        const std::vector<SimulationOutcome> sims =
            simulate_points(w, specs, mappings, opt->jobs, opt->timeout, [&](size_t, const SimulationOutcome& s) {
              sim_failed += s.ok ? 0 : 1;
              sim_bar.advance(sim_failed ? fmt::format("({} failed)", sim_failed) : "");
            });
        sim_bar.finish();
        for (size_t i = 0; i < rows.size(); ++i) rows[i].simulated = figures_of(sims[i], specs[i]);
      }

      if (::mkdir(opt->out.c_str(), 0755) != 0 && errno != EEXIST)
        throw std::runtime_error(opt->out + ": cannot create directory: " + std::strerror(errno));
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
      std::cout << csv << fmt::format("wrote {}/sweep.{{csv,json}}{}\n", opt->out, plots ? ", sweep.{png,svg}" : "");
      if (opt->simulate && sim_failed > 0)
        std::cerr << fmt::format("sweep: {} of {} simulations failed; their reasons are in the sim_status column\n", sim_failed,
                                 rows.size());
      return opt->simulate && sim_failed == rows.size() ? 1 : 0;
    };
  });
}

}  // namespace h4h
