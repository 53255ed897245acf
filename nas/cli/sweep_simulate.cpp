#include "nas/cli/sweep_simulate.h"

#include <stdexcept>

#include "sim/core/subprocess.h"

namespace h4h {

std::vector<SimulationOutcome> simulate_points(const Workload& workload, const std::vector<HardwareSpec>& specs,
                                               const std::vector<Mapping>& mappings, int jobs, double timeout_seconds,
                                               const std::function<void(size_t, const SimulationOutcome&)>& on_done) {
  if (specs.size() != mappings.size()) throw std::logic_error("simulate_points: one mapping per hardware spec");
  std::vector<ChildJob> children;
  children.reserve(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) children.push_back(simulation_job(workload, specs[i], mappings[i], false));
  std::vector<SimulationOutcome> outcomes(specs.size());
  run_pool(children, jobs, timeout_seconds, [&](size_t i, const ChildResult& child) {
    outcomes[i] = read_simulation_outcome(child, workload, false);
    if (on_done) on_done(i, outcomes[i]);
  });
  return outcomes;
}

}  // namespace h4h
