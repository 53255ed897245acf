// Mapping files (sim/core/mapping.h) as `h4h estimate --mapping FILE` reads them (resolve_mapping,
// which takes a path), for traces/golden/tiny.workload.json on hwconfigs/h4h-default.yaml; an
// accepted mapping is estimated.
#include "estimate_inputs.h"
#include "sim/map/schemas.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  static const fuzz::ScratchFile file("mapping.json");
  const Workload& w = fuzz::tiny_workload();
  const HardwareSpec& hw = fuzz::default_hardware();
  Mapping m;
  if (!fuzz::accepts([&] { m = resolve_mapping(file.write(fuzz::as_string(data, size)), w, hw); })) return 0;
  fuzz::fuzz_check(m.layers.size() == w.layers.size(), "one placement per layer");
  fuzz::estimate(w, hw, m);
  return 0;
}
