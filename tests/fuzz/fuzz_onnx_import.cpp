// ONNX import (models/onnx/onnx_import.h) as `h4h import MODEL.onnx` and `--workload MODEL.onnx`
// read it (import_onnx on a file ending in .onnx), with a symbolic-dimension value as --dim gives
// one. An imported workload must load again from the JSON `h4h import` writes.
#include "fuzz_common.h"
#include "models/onnx/onnx_import.h"
#include "sim/core/workload_json.h"

#include <nlohmann/json.hpp>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  static const fuzz::ScratchFile file("model.onnx");
  OnnxImportOptions options;
  options.dims = {{"seq", 16}, {"T", 16}};
  options.fuse_activations = size % 2 == 0;
  options.on_note = [](const std::string&) {};
  Workload w;
  if (!fuzz::accepts([&] { w = import_onnx(file.write(fuzz::as_string(data, size)), options); })) return 0;
  const std::string saved = workload_to_json(w).dump();
  fuzz::fuzz_check(fuzz::accepts([&] { (void)parse_workload(saved, "imported.json"); }),
                   "an imported workload loads again from its JSON");
  return 0;
}
