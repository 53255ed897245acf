#include "nas/apps/sweep_simulate.h"

#include <stdexcept>

#include "sim/core/subprocess.h"

namespace h4h {

void simulate_points(const Workload& workload, const std::vector<HardwareSpec>& specs,
                     const std::vector<Mapping>& mappings, const std::vector<size_t>& todo, int jobs,
                     double timeout_seconds, SimFidelity fidelity, const PointDone& on_done) {
  if (specs.size() != mappings.size()) throw std::logic_error("simulate_points: one mapping per hardware spec");
  std::vector<ChildJob> children;
  children.reserve(todo.size());
  for (size_t i : todo) {
    if (i >= specs.size()) throw std::logic_error("simulate_points: no such point");
    children.push_back(simulation_job(workload, specs[i], mappings[i], false, fidelity));
  }
  run_pool(children, jobs, timeout_seconds, [&](size_t k, const ChildResult& child) {
    on_done(todo[k], read_simulation_outcome(child, workload, false), child.ok);
  });
}

}  // namespace h4h
