#pragma once
// The analytical estimator: per-layer unit costs (unit_cost.h) placed on a timeline (timeline.h).
// Scheduling: each unit runs its layer parts in list order; a part starts when its producers have
// ended and its unit is free, so NPU and CIM layers overlap where the DAG allows. A split layer
// ends when both parts have ended. Streamed CIM weights are programmed into the sub-arrays that
// resident weights leave free (in rounds when they do not fit; none free is a failure). Parts
// that overlap in time share the external memory (NPU weight streams, CIM programming fetches);
// each unit sees its own SRAM port's bandwidth (the shared SRAM's banks are not a bottleneck
// unless sram.banks x bytes_per_cycle_per_bank is below the ports' sum, which only the SystemC
// simulator models). Activations that do not fit the shared SRAM over their lifetimes
// (allocate_activations, sim/core/sram_allocator.h) are a failure, as in the simulator.
#include "sim/core/evaluator.h"
#include "sim/estimate/timeline.h"
#include "sim/estimate/unit_cost_cache.h"

namespace h4h {

class AnalyticalEvaluator : public Evaluator {
 public:
  // `memoize`: reuse unit costs of layers with the same geometry across calls (same results).
  explicit AnalyticalEvaluator(bool memoize = true) : memoize_(memoize) {}
  std::string name() const override { return "analytical"; }
  EvalResult evaluate(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping) override;

 private:
  bool memoize_;
  UnitCostCache cache_;
  // Scratch reused across evaluations (an evaluator serves one thread).
  std::vector<UnitCost> costs_;
  std::vector<TimelinePart> parts_;
  std::vector<std::vector<int>> producers_;
  std::vector<PartTiming> timing_;
};

}  // namespace h4h
