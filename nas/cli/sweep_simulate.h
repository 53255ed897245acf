#pragma once
// Re-runs the points of a sweep in the SystemC simulator, in a pool of worker processes (SystemC
// elaborates once per process, so each point is a fresh child; see sim/core/subprocess.h).
// Contract: inputs (workload, one spec and one mapping per point) are resolved and validated by the
// caller. A point whose simulation fails (the simulator rejects the candidate, the child crashes
// or times out, its result cannot be read) is an outcome with ok == false and the reason; the other
// points still run. Never throws for a failing point. Results come back in point order.
#include <functional>
#include <vector>

#include "nas/cli/simulate_child.h"

namespace h4h {

// `jobs` <= 0: as many workers as the machine has cores. `timeout_seconds` <= 0: no limit (per
// point). `on_done(i, outcome)` runs in the calling process as each point finishes; may be empty.
std::vector<SimulationOutcome> simulate_points(const Workload& workload, const std::vector<HardwareSpec>& specs,
                                               const std::vector<Mapping>& mappings, int jobs, double timeout_seconds,
                                               const std::function<void(size_t, const SimulationOutcome&)>& on_done = {});

}  // namespace h4h
