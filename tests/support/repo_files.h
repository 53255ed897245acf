#pragma once
// Files of the repository that tests read: the hardware presets and the golden "tiny" workload
// (traces/golden/tiny.workload.json: conv, depthwise, linear, matmul, add).
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "tests/support/build_paths.h"

namespace h4h::test {

inline std::string preset_file(const std::string& name) { return source_dir() + "/hwconfigs/" + name + ".yaml"; }

inline std::string tiny_workload_file() { return source_dir() + "/traces/golden/tiny.workload.json"; }

inline std::string tiny_workload_text() {
  std::ifstream in(tiny_workload_file());
  if (!in) throw std::runtime_error("cannot read " + tiny_workload_file());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace h4h::test
