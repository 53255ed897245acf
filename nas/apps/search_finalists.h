#pragma once
// The finalists of a search: the best candidates within budget (the front first, by accuracy), each
// re-simulated in SystemC (with a trace) in parallel child processes. A candidate whose simulation
// is predicted to cross a limit of `limits` (sim/blocksim/sim_budget.h) is dropped without being
// simulated, one whose simulated latency or energy breaks a budget after it; the next one is
// promoted, until `count` pass or none is left.
#include <string>
#include <vector>

#include "nas/dist/communicator.h"
#include "nas/search/estimated_cost.h"
#include "nas/search/search_run.h"
#include "sim/core/cost_report.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"
#include "sim/blocksim/sim_budget.h"

namespace h4h {

struct Finalist {
  Evaluated candidate;
  Workload workload;
  HardwareSpec hw;
  Mapping mapping;
  CostReport simulated;
  double sim_latency_ms = 0, sim_energy_uj = 0;
  std::string trace_json;
};

struct DroppedCandidate {
  Evaluated candidate;
  std::string reason;  // the broken budget with both figures, the crossed limit, or why the simulation failed
};

struct FinalistSelection {
  std::vector<Finalist> finalists;
  std::vector<DroppedCandidate> dropped;
};

// Archive indices of the candidates within budget in the order they are promoted: by non-dominated
// front, then higher accuracy, then archive order.
std::vector<size_t> promotion_order(const SearchRun& run);

// `on_simulated(done, total)` reports progress (may be empty).
// Under mpirun the simulations of each round are spread over the ranks (rank_pool.h); every rank
// returns the same selection.
FinalistSelection select_finalists(const SearchRun& run, EstimatedCost& cost, const Budgets& budgets, int count,
                                   int workers, double timeout_s, const SimLimits& limits,
                                   const std::function<void(size_t, size_t)>& on_simulated = {},
                                   dist::Communicator& comm = dist::Communicator::world());

}  // namespace h4h
