// Hardware YAML (sim/core/hardware.h) with --set overrides, as `h4h hw show FILE --set K=V ...` and
// `h4h estimate --hw FILE --set ...` read them. Input: the YAML text, then optionally a line
// "--- set" followed by one override argument per line (each as given after --set). An accepted
// system is summarised (hw show) and runs the estimate of traces/golden/tiny.workload.json.
#include <sstream>

#include "estimate_inputs.h"
#include "sim/engines/npu_engine_registry.h"
#include "sim/map/schemas.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  const std::vector<std::string> parts = fuzz::split_input(data, size, "\n--- set\n", 2);
  std::vector<std::string> sets;
  if (parts.size() == 2) {
    std::istringstream lines(parts[1]);
    for (std::string line; std::getline(lines, line);) sets.push_back(line);
  }
  HardwareSpec hw;
  if (!fuzz::accepts([&] {
        std::vector<Override> overrides;
        for (const std::string& s : sets) overrides.push_back(parse_override(s));
        hw = parse_hardware(parts[0], "fuzz.yaml", overrides);
      }))
    return 0;
  (void)summarize(hw, npu_engine(hw.npu).peak_macs_per_cycle(hw.npu));
  const Workload& w = fuzz::tiny_workload();
  fuzz::estimate(w, hw, resolve_mapping("npu-only", w, hw));
  fuzz::estimate(w, hw, resolve_mapping("rule", w, hw));
  return 0;
}
