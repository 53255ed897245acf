#pragma once
// Re-runs the points of a sweep in the SystemC simulator, in a pool of worker processes (SystemC
// elaborates once per process, so each point is a fresh child; see sim/core/subprocess.h).
// Contract: inputs (workload, one spec and one mapping per point) are resolved and validated by the
// caller. A point whose simulation fails (the simulator rejects the candidate, the child crashes
// or times out, its result cannot be read) is an outcome with ok == false and the reason; the other
// points still run. Never throws for a failing point. Points run and report in `todo` order.
#include <functional>
#include <vector>

#include "nas/apps/simulate_child.h"

namespace h4h {

// `on_done(i, outcome, conclusive)` for each finished point i (an index into specs).
// `conclusive`: the worker ran to the end, so the outcome belongs to the point (the simulator's
// result, or its rejection of the point); false when the worker crashed or timed out (the outcome
// says why; running the point again may end otherwise).
using PointDone = std::function<void(size_t, const SimulationOutcome&, bool)>;

// Simulates the points listed in `todo` (indices into specs and mappings). `jobs` <= 0: as many
// workers as the machine has cores. `timeout_seconds` <= 0: no limit (per point). `on_done` runs in
// the calling process as each point finishes.
void simulate_points(const Workload& workload, const std::vector<HardwareSpec>& specs,
                     const std::vector<Mapping>& mappings, const std::vector<size_t>& todo, int jobs,
                     double timeout_seconds, SimFidelity fidelity, const PointDone& on_done);

}  // namespace h4h
