#include "nas/apps/sweep_run.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <optional>

#include "nas/apps/sweep_grid.h"
#include "nas/apps/sweep_journal.h"
#include "nas/apps/sweep_plot.h"
#include "nas/apps/sweep_simulate.h"
#include "nas/apps/sweep_table.h"
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

SweepFigures figures_of(const SimulationOutcome& s, const HardwareSpec& hw) {
  EvalResult r;
  r.ok = s.ok;
  r.reason = s.reason;
  r.report = s.report;
  return figures_of(r, hw);
}

std::string settings_text(const std::vector<Override>& settings) {
  std::string out;
  for (const auto& [key, value] : settings) out += (out.empty() ? "" : ", ") + key + "=" + value;
  return out;
}

void make_output_dir(const std::string& dir) {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::runtime_error(dir + ": cannot create directory: " + std::strerror(errno));
}

// Calls a progress report when it is set.
template <typename F, typename... A>
void report(const F& f, A&&... args) {
  if (f) f(std::forward<A>(args)...);
}

// The points' settings, systems and mappings, validated; their estimates.
struct EstimatedGrid {
  std::vector<std::string> keys;
  std::vector<std::vector<Override>> points;
  std::vector<HardwareSpec> specs;
  std::vector<Mapping> mappings;
  std::vector<SweepRow> rows;
};

EstimatedGrid estimate_grid(const SweepRequest& q, const SweepProgress& progress) {
  const std::vector<SweepAxis> axes = parse_sweep_axes(q.sets);
  std::vector<size_t> counts;
  for (const SweepAxis& a : axes) counts.push_back(a.values.size());
  const std::string too_many = check_sweep_points(counts, q.max_points);
  if (!too_many.empty()) throw InputError("sweep: " + too_many);
  EstimatedGrid g;
  for (const SweepAxis& a : axes) g.keys.push_back(a.key);
  g.points = sweep_points(axes);
  for (const auto& p : g.points) g.specs.push_back(load_hardware(q.hw_file, p));  // every point, before any estimate

  AnalyticalEvaluator evaluator;
  report(progress.begin, "sweep", g.points.size());
  for (size_t i = 0; i < g.points.size(); ++i) {
    g.mappings.push_back(resolve_mapping(q.schema, q.workload, g.specs[i], q.objective));
    SweepRow row;
    row.settings = g.points[i];
    row.estimated = figures_of(evaluator.evaluate(q.workload, g.specs[i], g.mappings.back()), g.specs[i]);
    row.cim_layers = std::count_if(g.mappings.back().layers.begin(), g.mappings.back().layers.end(),
                                   [](const Placement& p) { return p.on_cim(); });
    g.rows.push_back(row);
    report(progress.advance, "");
  }
  report(progress.end);
  if (std::none_of(g.rows.begin(), g.rows.end(), [](const SweepRow& r) { return r.estimated.ok; }))
    throw InputError(fmt::format("sweep of {} on {} ({}): no point can be evaluated; at {}: {}", q.workload.name,
                                 q.hw_file, q.schema, settings_text(g.rows.front().settings),
                                 g.rows.front().estimated.status));
  return g;
}

// Fills every row's simulated figures: from the journal it opens, or by
// simulating the point and journaling its conclusive outcome. The journal stays
// until the outputs are written.
void simulate_grid(const SweepRequest& q, EstimatedGrid& g, std::optional<SweepJournal>& journal,
                   const SweepProgress& progress) {
  for (size_t i = 0; i < g.points.size(); ++i)
    require_sim_budget("sweep: at " + settings_text(g.points[i]), q.workload, g.specs[i], g.mappings[i], q.limits,
                       false);
  make_output_dir(q.out_dir);
  journal.emplace(q.out_dir, q.resume);
  const std::string hw_text = read_text_file(q.hw_file);
  std::vector<std::string> inputs;
  std::vector<size_t> todo;
  for (size_t i = 0; i < g.points.size(); ++i) {
    inputs.push_back(sweep_point_inputs(q.workload, hw_text, g.points[i], g.mappings[i], q.limits.fidelity));
    if (std::optional<SweepFigures> done = journal->find(g.points[i], inputs[i]))
      g.rows[i].simulated = *done;
    else
      todo.push_back(i);
  }
  if (todo.size() < g.points.size())
    report(progress.resumed, journal->path(), g.points.size() - todo.size(), g.points.size());
  report(progress.begin, "simulate", todo.size());
  size_t failed_now = 0;
  simulate_points(q.workload, g.specs, g.mappings, todo, q.jobs, q.timeout_s, q.limits.fidelity,
                  [&](size_t i, const SimulationOutcome& s, bool conclusive) {
                    g.rows[i].simulated = figures_of(s, g.specs[i]);
                    if (conclusive) journal->record(g.points[i], inputs[i], *g.rows[i].simulated);
                    failed_now += s.ok ? 0 : 1;
                    report(progress.advance, failed_now ? fmt::format("({} failed)", failed_now) : "");
                  });
  report(progress.end);
}

}  // namespace

SweepOutcome run_sweep(const SweepRequest& q, const SweepProgress& progress) {
  EstimatedGrid g = estimate_grid(q, progress);
  std::optional<SweepJournal> journal;
  if (q.simulate) simulate_grid(q, g, journal, progress);

  make_output_dir(q.out_dir);
  for (const char* name : {"/sweep.csv", "/sweep.json"}) remove_stale_temp_files(q.out_dir + name);
  SweepOutcome out;
  out.points = g.rows.size();
  out.csv = sweep_csv(g.keys, g.rows, q.simulate);
  write_file_atomic(q.out_dir + "/sweep.csv", out.csv);
  nlohmann::json points_json = nlohmann::json::array();
  for (const SweepRow& r : g.rows) points_json.push_back(sweep_row_json(r));
  const nlohmann::json doc{{"workload", q.workload.name}, {"hw", q.hw_file}, {"schema", q.schema},
                           {"objective", q.objective},    {"keys", g.keys},  {"simulated", q.simulate},
                           {"points", points_json}};
  write_file_atomic(q.out_dir + "/sweep.json", doc.dump(1) + "\n");

  std::vector<SweepPoint> plotted;
  for (const SweepRow& r : g.rows) {
    SweepPoint p;
    p.settings = r.settings;
    if (r.estimated.ok) p.latency_ms = r.estimated.latency_ms, p.energy_uj = r.estimated.energy_uj;
    if (r.simulated && r.simulated->ok)
      p.sim_latency_ms = r.simulated->latency_ms, p.sim_energy_uj = r.simulated->energy_uj;
    if (r.simulated && !r.simulated->ok) ++out.sim_failed;
    plotted.push_back(p);
  }
  out.plotted = plot_sweep(q.out_dir, q.workload.name + " (" + q.schema + ")", g.keys, plotted, q.simulate);
  if (journal) journal->remove();
  return out;
}

}  // namespace h4h
