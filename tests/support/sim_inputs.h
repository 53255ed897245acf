#pragma once
// Inputs shared by the estimator, partitioner and simulator tests: the repository's hardware
// presets (with overrides) and small workloads written inline.
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload_json.h"
#include "tests/support/build_paths.h"

namespace h4h::test {

// hwconfigs/NAME.yaml with `overrides` applied.
inline HardwareSpec preset(const std::string& name, const std::vector<Override>& overrides = {}) {
  return load_hardware(test::source_dir() + "/hwconfigs/" + name + ".yaml", overrides);
}

// A workload named "case" from the JSON of its layers (comma-separated objects).
inline Workload workload(const std::string& layers_json) {
  return parse_workload(R"({"version": 1, "name": "case", "layers": [)" + layers_json + "]}", "case.json");
}

}  // namespace h4h::test
