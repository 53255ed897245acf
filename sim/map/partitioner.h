#pragma once
// The partitioner: where each layer runs (NPU, CIM with resident or streamed weights, or split by
// output channels) to minimise latency, energy or the energy-delay product on one system.
//
// Cost model: the analytical unit costs (sim/estimate/unit_cost.h). A layer placement's latency is
// its cycles (a split: its two parts started together on the estimator's timeline, where they
// share the external memory, sim/estimate/timeline.h), its energy the dynamic energy of both parts
// plus static power over its cycles. Activations always live in the shared SRAM, so changing units between
// layers costs no extra transfer in this model.
//
// Methods:
//  - optimal: exact for the serial-execution objective (layers one after another, the sum of
//    layer costs): dynamic programming over layers x MRAM sub-array tiles used, so capacity is
//    respected exactly (resident weights must fit; streamed weights pay reprogramming every run).
//    A streamed part is programmed into the sub-arrays that resident weights leave free; the DP
//    keeps room for the largest streamed part (resident tiles + max streamed tiles <= capacity),
//    so every streamed part runs in one round and the DP's cost is the evaluator's. It is solved
//    once per reserve R (the streamed tile counts that can beat the NPU), keeping the best.
//    Latency and energy are additive and solved exactly; EDP is solved by scalarising
//    (latency + lambda * energy over a grid of lambda) and keeping the best EDP — optimal among
//    mappings on the lower convex hull of the latency/energy trade-off, a heuristic beyond it.
//  - optimal-concurrent: starts from `optimal` and improves the real timeline (independent layers
//    overlapping on the two units) by local search with the analytical evaluator, keeping capacity;
//    reports a lower bound (the critical path with every layer at its fastest placement, and each
//    unit's minimum total work) so the gap is known.
// Both return a mapping never worse (under the analytical evaluator) than npu-only and rule.
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/mapping.h"

namespace h4h {

enum class Objective { Latency, Energy, EnergyDelay };
Objective parse_objective(const std::string& name);  // latency | energy | edp (InputError otherwise)
const char* objective_name(Objective objective);

struct PartitionOptions {
  Objective objective = Objective::Latency;
  std::vector<double> split_fractions = {0.25, 0.5, 0.75};  // NPU shares tried for splittable layers
  bool allow_streamed = true;   // CIM placements whose weights are reprogrammed every run (taken
                                // only where the hardware has cim.reprogram: per_inference)
  bool concurrent = false;      // optimal-concurrent
  int local_search_rounds = 4;  // optimal-concurrent: passes over the layers
};

struct PartitionResult {
  Mapping mapping;
  double cost = 0;         // the objective under the analytical evaluator (cycles, pJ, or cycles x pJ)
  double lower_bound = 0;  // a bound no mapping can beat (latency objective); 0 when not computed
  std::string method;
};

// Throws InputError when the system has no CIM (nothing to partition).
PartitionResult partition(const Workload& workload, const HardwareSpec& hw, const PartitionOptions& options);

// One layer's candidate placements with their costs, as the dynamic program sees them (for tests).
struct PlacementOption {
  Placement placement;
  int64_t tiles = 0;         // MRAM sub-array tiles it keeps resident
  int64_t stream_tiles = 0;  // sub-arrays it needs free to be programmed in one round (streamed)
  double cycles = 0, energy_pj = 0;
};
std::vector<PlacementOption> placement_options(const Layer& layer, const Precision& precision, const HardwareSpec& hw,
                                               const PartitionOptions& options);

}  // namespace h4h
