#include "nas/apps/search_finalists.h"

#include <algorithm>

#include <fmt/format.h>

#include "models/space/arch_workload.h"
#include "nas/apps/rank_pool.h"
#include "nas/apps/simulate_child.h"
#include "nas/search/pareto.h"
#include "sim/core/subprocess.h"

namespace h4h {

std::vector<size_t> promotion_order(const SearchRun& run) {
  std::vector<size_t> feasible;
  std::vector<Point> points;
  for (size_t i = 0; i < run.archive().size(); ++i)
    if (run.archive()[i].violation == 0) {
      feasible.push_back(i);
      points.push_back(minimized(run.archive()[i].scores, run.setup().objectives));
    }
  std::vector<size_t> order;
  for (std::vector<size_t> front : nondominated_fronts(points)) {
    std::sort(front.begin(), front.end(), [&](size_t a, size_t b) {
      const double x = run.archive()[feasible[a]].scores.accuracy, y = run.archive()[feasible[b]].scores.accuracy;
      return x != y ? x > y : a < b;
    });
    for (size_t k : front) order.push_back(feasible[k]);
  }
  return order;
}

FinalistSelection select_finalists(const SearchRun& run, EstimatedCost& cost, const Budgets& budgets, int count,
                                   int workers, double timeout_s, const SimLimits& limits,
                                   const std::function<void(size_t, size_t)>& on_simulated,
                                   dist::Communicator& comm) {
  const std::vector<size_t> order = promotion_order(run);
  const SearchSpace& space = *run.setup().space;
  FinalistSelection out;
  size_t next = 0, done = 0;
  while (int(out.finalists.size()) < count && next < order.size()) {
    // One round: as many candidates as finalists are still missing.
    std::vector<Finalist> round;
    while (round.size() + out.finalists.size() < size_t(count) && next < order.size()) {
      Finalist f;
      f.candidate = run.archive()[order[next++]];
      f.hw = cost.hardware(f.candidate.candidate.hw);
      f.workload = arch_to_workload(f.candidate.candidate.arch, space, arch_key(f.candidate.candidate.arch));
      f.mapping = cost.mapping(f.workload, f.hw);
      const std::string too_big = sim_budget_problem(f.workload, f.hw, f.mapping, limits, true);
      if (!too_big.empty()) {
        out.dropped.push_back({f.candidate, "simulation refused: " + too_big});
        continue;
      }
      round.push_back(std::move(f));
    }
    std::vector<ChildJob> jobs;
    for (const Finalist& f : round) jobs.push_back(simulation_job(f.workload, f.hw, f.mapping, true, limits.fidelity));
    const std::vector<ChildResult> results =
        run_pool_on_ranks(jobs, workers, timeout_s, [&](size_t, const ChildResult&) {
          if (on_simulated) on_simulated(++done, size_t(count));
        }, comm);
    for (size_t i = 0; i < round.size(); ++i) {
      Finalist& f = round[i];
      const SimulationOutcome sim = read_simulation_outcome(results[i], f.workload, true);
      if (!sim.ok) {
        out.dropped.push_back({f.candidate, "simulation failed: " + sim.reason});
        continue;
      }
      f.simulated = sim.report;
      f.trace_json = sim.trace_json;
      f.sim_latency_ms = double(sim.report.total_cycles) / f.hw.clock_hz() * 1e3;
      f.sim_energy_uj = sim.report.energy_pj() * 1e-6;
      std::string broken;
      if (budgets.latency_ms > 0 && f.sim_latency_ms > budgets.latency_ms)
        broken = fmt::format("simulated latency {:.6g} ms > budget {:.6g} ms (estimated {:.6g} ms)", f.sim_latency_ms,
                             budgets.latency_ms, f.candidate.scores.latency_ms);
      if (budgets.energy_uj > 0 && f.sim_energy_uj > budgets.energy_uj)
        broken += fmt::format("{}simulated energy {:.6g} uJ > budget {:.6g} uJ (estimated {:.6g} uJ)",
                              broken.empty() ? "" : "; ", f.sim_energy_uj, budgets.energy_uj,
                              f.candidate.scores.energy_uj);
      if (!broken.empty()) {
        out.dropped.push_back({f.candidate, broken});
        continue;
      }
      out.finalists.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace h4h
