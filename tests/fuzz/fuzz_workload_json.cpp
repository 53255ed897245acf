// Workload JSON (sim/core/workload_json.h) as `h4h estimate --workload FILE` reads it: parse, then
// estimate on hwconfigs/h4h-default.yaml with the npu-only and rule mappings. An accepted workload
// must also survive the round trip through workload_to_json (what `h4h import` writes).
#include "estimate_inputs.h"
#include "sim/map/schemas.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  Workload w;
  if (!fuzz::accepts([&] { w = parse_workload(fuzz::as_string(data, size), "fuzz.workload.json"); })) return 0;
  const std::string saved = workload_to_json(w).dump();
  fuzz::fuzz_check(fuzz::accepts([&] { (void)parse_workload(saved, "saved.json"); }),
                   "workload_to_json of an accepted workload parses again");
  const HardwareSpec& hw = fuzz::default_hardware();
  fuzz::estimate(w, hw, resolve_mapping("npu-only", w, hw));
  fuzz::estimate(w, hw, resolve_mapping("rule", w, hw));
  return 0;
}
