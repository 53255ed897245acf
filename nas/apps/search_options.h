#pragma once
// The options of a search job around a trained supernet (nas/cli's `h4h search` binds its flags to
// these fields), the checks no library below makes, and the context a saved state must share to be
// resumed. Errors name the fields (ParameterError, sim/core/parameter_error.h).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/blocksim/sim_budget.h"

namespace h4h {

struct SearchJobOptions {
  std::string checkpoint, hw_file, out_dir;
  std::vector<std::string> sets;          // KEY=VALUE overrides of the hardware file
  std::string mapping = "optimal";        // per candidate; schema or file
  std::string mapping_objective = "latency";
  double latency_ms = 0, energy_uj = 0;   // budgets (0: none), estimated and simulated
  int max_macros = 0;                     // CIM macro budget in a co-search (0: none)
  std::string objectives = "acc,latency,energy";
  std::string cosearch;                   // "cim.macros=1..16,cim.compute_units=1..4"
  std::string algorithm = "nsga2";
  std::string blocks = "hybrid";          // hybrid | cnn | transformer
  int population = 32, generations = 10;
  double mutate_prob = 0.1;
  uint64_t seed = 0;
  int finalists = 5;
  int64_t val_images = 0;                 // score on the first N validation images (0: all)
  int64_t bn_batches = 20, batch_size = 256;
  int threads = 0;
  std::string device = "cpu";
  int sim_workers = 0;                    // parallel simulations (0: every core)
  double sim_timeout_s = 900;
  SimLimits sim_limits;                   // per finalist simulation (sim/blocksim/sim_budget.h)
};

// ParameterError on generations or finalists below 1 and on a negative budget (latency_ms,
// energy_uj, max_macros). The strategy's options (algorithm, population, mutate_prob) and the
// scorer's (val_images, ...) are checked where they are used.
void check_search_options(const SearchJobOptions& options);

// The inputs a saved search state must share to be resumed (SearchRun::set_context): the supernet
// (path, size and time of the checkpoint, so a retrained one is not mixed in), the hardware and the
// scoring options.
nlohmann::json search_context(const SearchJobOptions& options);

}  // namespace h4h
