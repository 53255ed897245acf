#pragma once
// From (workload, hardware, mapping) to the jobs the simulator's controller runs: one part per
// unit a layer uses, with the NPU's block schedule or the CIM's rounds, plus the MRAM placement.
//
// Contract:
//  - Fails (false, with a reason naming the layer) where the estimator fails: a placement count
//    that does not match, an op a unit cannot run, a CIM placement without a CIM, a split of an
//    unsplittable layer, resident-pinned weights that do not fit; and where an NPU engine has no
//    schedule for a layer.
//  - MRAM capacity is accounted per macro, in sub-array tiles: layers whose weights stay resident
//    (plan_cim_residency, as the estimator) are placed first, in network order, round-robin over
//    the macros with room, and a layer computes with as many array activations per input vector as
//    its busiest macro holds tiles (ceil(tiles / macros) when balanced). Layers that are not
//    resident are programmed into the sub-arrays left free (F), in ceil(tiles / F) rounds of as
//    near as possible equal tile counts (share()); each round reloads its weights (programming cost
//    once per reload) and re-reads the layer's inputs (depthwise: only its channels). No free
//    sub-array at all is a failure. The estimator (sim/estimate/unit_cost.h) uses the same rounds.
//  - Counts per part are the estimator's definitions (count_layer, cim_tiling, the NPU engine).
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/blocksim/controller.h"
#include "sim/blocksim/unit_job.h"

namespace h4h::blocksim {

// Positions a CIM round streams in (simulation granularity, not hardware): fill and drain of the
// three-stage chunk pipeline cost about 1/kCimChunks of a layer's non-bottleneck stages.
constexpr int64_t kCimChunks = 64;

struct SimPlan {
  std::vector<LayerJobs> layers;
  std::vector<PartJob> parts;  // network order; each layer's NPU part before its CIM part
};

bool build_plan(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping, SimPlan* plan,
                std::string* reason);

}  // namespace h4h::blocksim
