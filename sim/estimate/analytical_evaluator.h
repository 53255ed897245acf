#pragma once
// The analytical estimator: per-layer unit costs (unit_cost.h) placed on a timeline.
// Scheduling: layers issue in list order; a layer (or each part of a split layer) starts when its
// producers have ended and its unit is free, so NPU and CIM layers overlap where the DAG allows.
// A split layer ends when both parts have ended. Contention between units for the shared SRAM is
// not modelled here (the SystemC simulator models it); each unit sees its own port's bandwidth.
#include "sim/core/evaluator.h"
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
};

}  // namespace h4h
