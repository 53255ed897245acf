#pragma once
// `h4h search`: the second stage of H4H-NAS around a trained supernet. Scores candidates with the
// supernet (validation top-1 after BN recalibration) and the estimator (optimal partitioning on the
// candidate's system), evolves them for `generations`, re-simulates the front's best in SystemC and
// writes DIR/pareto.json, pareto.csv, history.csv, plots and one folder per finalist.
// Contract: bad input (options, checkpoint, hardware, an infeasible budget, a state file from
// another search) throws InputError before anything in DIR is replaced. DIR/search_state.json is
// rewritten atomically after each generation; a run started again with the same options resumes
// from it and ends with the same pareto.json.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/systemc/sim_budget.h"

namespace h4h {

struct SearchJobOptions {
  std::string checkpoint, hw_file, out_dir;
  std::vector<std::string> sets;          // --set KEY=VALUE on the hardware
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
  SimLimits sim_limits;                   // per finalist simulation (sim/systemc/sim_budget.h)
};

int run_search_job(const SearchJobOptions& options);

}  // namespace h4h
