#pragma once
// `h4h validate`'s work: the workloads to validate on (random subnets of a search space, or given
// models), each evaluated by the analytical estimator (in this process) and by the SystemC
// simulator (in a pool of worker processes: SystemC elaborates once per process).
// Contract: inputs are resolved here and bad ones throw InputError (an unknown space or model,
// samples <= 0, a mapping that does not apply, a candidate the estimator rejects, a simulation
// predicted to cross a limit of request.limits) before anything is simulated. A failed simulation (the simulator rejects the candidate, the child crashes or
// times out) is a sample with `failure` set; the others still run.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/cost_report.h"
#include "sim/core/hardware.h"
#include "sim/blocksim/sim_budget.h"

namespace h4h {

// Random subnets of the space in `space_file`: random_arch with an mt19937_64 seeded by `seed`,
// named "<space>-NNNN" by draw. With `hw`, only subnets whose activations fit its shared SRAM
// (allocate_activations) are kept — the others cannot run on it — and `skipped` counts those drawn
// and left out; more than 20 draws per sample kept is an error naming the SRAM.
std::vector<Workload> sample_space_workloads(const std::string& space_file, int samples, uint64_t seed,
                                             const HardwareSpec* hw = nullptr, int* skipped = nullptr);
// Comma-separated zoo model names or workload files; "all": the whole zoo.
std::vector<Workload> model_workloads(const std::string& list);

struct ValidationSample {
  Workload workload;
  Mapping mapping;
  CostReport estimated;
  CostReport simulated;  // valid when failure is empty
  std::string failure;   // why the simulation failed
};

struct ValidationRequest {
  std::string mapping = "rule";      // schema or mapping file
  std::string objective = "latency"; // for the optimal schemas
  int jobs = 0;                      // worker processes; <= 0: one per core
  double timeout_seconds = 0;        // per simulation; <= 0: none
  SimLimits limits;                  // per simulation (sim_budget.h)
};

// Resolves each workload's mapping and estimates it (InputError when the mapping does not apply,
// the estimator rejects the candidate or its simulation would cross request.limits).
std::vector<ValidationSample> estimate_samples(std::vector<Workload> workloads, const HardwareSpec& hw,
                                               const ValidationRequest& request);

// Simulates every sample (filling `simulated` or `failure`); `on_simulated(sample)` is called as
// each simulation finishes (for a progress bar) and may be empty.
void simulate_samples(std::vector<ValidationSample>& samples, const HardwareSpec& hw, const ValidationRequest& request,
                      const std::function<void(const ValidationSample&)>& on_simulated = {});

}  // namespace h4h
