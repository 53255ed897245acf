#pragma once
// What `h4h estimate` does with parsed inputs, for the harnesses whose inputs feed the estimator:
// the analytical evaluation of a workload on a system under a mapping, and the result JSON. A
// candidate that cannot run is an EvalResult failure (evaluator.h), never a crash or a throw; an
// evaluation that succeeds conserves MACs.
#include <string>

#include <nlohmann/json.hpp>

#include "fuzz_common.h"
#include "sim/core/cost_report.h"
#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"
#include "sim/core/workload_json.h"
#include "sim/estimate/analytical_evaluator.h"
#include "tests/support/build_paths.h"

namespace h4h::fuzz {

// hwconfigs/h4h-default.yaml of this checkout (NPU + CIM), read once.
inline const HardwareSpec& default_hardware() {
  static const HardwareSpec hw = load_hardware(test::source_dir() + "/hwconfigs/h4h-default.yaml");
  return hw;
}

// traces/golden/tiny.workload.json: a conv, a depthwise conv, a linear, a matmul and an add.
inline const Workload& tiny_workload() {
  static const Workload w = load_workload(test::source_dir() + "/traces/golden/tiny.workload.json");
  return w;
}

inline void estimate(const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  AnalyticalEvaluator evaluator(/*memoize=*/false);
  const EvalResult result = evaluator.evaluate(w, hw, mapping);
  if (!result.ok) return;
  fuzz_check(result.report.macs() == count_workload(w).macs, "the estimate's MACs equal the workload's");
  (void)report_to_json(result.report, w, hw, mapping).dump();
}

}  // namespace h4h::fuzz
