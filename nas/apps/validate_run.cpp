#include "nas/apps/validate_run.h"

#include <sstream>

#include <fmt/format.h>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "models/zoo/zoo.h"
#include "nas/apps/simulate_child.h"
#include "nas/apps/workload_inputs.h"
#include "sim/core/error.h"
#include "sim/core/parameter_error.h"
#include "sim/core/sram_allocator.h"
#include "sim/core/subprocess.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "sim/blocksim/sim_budget.h"

namespace h4h {

std::vector<Workload> sample_space_workloads(const std::string& space_file, int samples, uint64_t seed,
                                             const HardwareSpec* hw, int* skipped) {
  if (samples <= 0) throw ParameterError("samples", "must be at least 1 (got " + std::to_string(samples) + ")");
  const SearchSpace space = load_search_space(space_file);
  Rng rng(seed);
  std::vector<Workload> out;
  out.reserve(size_t(samples));
  int left_out = 0;
  const int64_t max_draws = 20 * int64_t(samples);
  for (int64_t draw = 0; int(out.size()) < samples; ++draw) {
    if (draw >= max_draws)
      throw InputError(space_file + ": " + std::to_string(left_out) + " of " + std::to_string(draw) +
                       " random subnets do not fit the shared SRAM of " + hw->name + " (sram.size_kb " +
                       std::to_string(hw->sram.size_kb) + "); give the system more SRAM or sample a smaller space");
    Workload w = arch_to_workload(random_arch(space, rng), space, fmt::format("{}-{:04d}", space.name, draw));
    if (hw && !allocate_activations(w, *hw).ok) {
      ++left_out;
      continue;
    }
    out.push_back(std::move(w));
  }
  if (skipped) *skipped = left_out;
  return out;
}

std::vector<Workload> model_workloads(const std::string& list) {
  std::vector<std::string> names;
  if (list == "all") {
    names = zoo_model_names();
  } else {
    std::stringstream ss(list);
    for (std::string item; std::getline(ss, item, ',');)
      if (!item.empty()) names.push_back(item);
  }
  if (names.empty()) throw ParameterError("models", "must name at least one zoo model or workload file");
  std::vector<Workload> out;
  for (const std::string& name : names) out.push_back(workload_by_name(name));
  return out;
}

std::vector<ValidationSample> estimate_samples(std::vector<Workload> workloads, const HardwareSpec& hw,
                                               const ValidationRequest& request) {
  std::vector<ValidationSample> samples(workloads.size());
  AnalyticalEvaluator estimator;
  for (size_t i = 0; i < workloads.size(); ++i) {
    ValidationSample& s = samples[i];
    s.workload = std::move(workloads[i]);
    s.mapping = resolve_mapping(request.mapping, s.workload, hw, request.objective);
    EvalResult estimated = estimator.evaluate(s.workload, hw, s.mapping);
    if (!estimated.ok)
      throw InputError("the estimator rejects " + s.workload.name + " on " + hw.name + " with mapping " +
                       request.mapping + ": " + estimated.reason);
    s.estimated = std::move(estimated.report);
    require_sim_budget("validate", s.workload, hw, s.mapping, request.limits, false);
  }
  return samples;
}

void simulate_samples(std::vector<ValidationSample>& samples, const HardwareSpec& hw, const ValidationRequest& request,
                      const std::function<void(const ValidationSample&)>& on_simulated) {
  std::vector<ChildJob> jobs;
  jobs.reserve(samples.size());
  for (const ValidationSample& s : samples)
    jobs.push_back(simulation_job(s.workload, hw, s.mapping, false, request.limits.fidelity));
  run_pool(jobs, request.jobs, request.timeout_seconds, [&](size_t i, const ChildResult& child) {
    SimulationOutcome outcome = read_simulation_outcome(child, samples[i].workload, false);
    if (outcome.ok)
      samples[i].simulated = std::move(outcome.report);
    else
      samples[i].failure = std::move(outcome.reason);
    if (on_simulated) on_simulated(samples[i]);
  });
}

}  // namespace h4h
