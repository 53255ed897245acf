#include "nas/cli/inputs.h"

#include <sys/stat.h>

#include <iostream>

#include "models/onnx/onnx_import.h"
#include "models/zoo/zoo.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/core/workload_json.h"

namespace h4h {

namespace {

// A workload JSON file, or an ONNX model (by its .onnx ending) imported on the fly.
Workload load_workload_file(const std::string& path) {
  if (!is_onnx_path(path)) return load_workload(path);
  OnnxImportOptions options;
  options.on_note = [](const std::string& note) { std::cerr << "h4h: note: " << note << "\n"; };
  return import_onnx(path, options);
}

}  // namespace

Workload resolve_workload(const std::string& model, const std::string& workload_file) {
  if (model.empty() == workload_file.empty()) throw InputError("give exactly one of --model NAME or --workload FILE");
  if (!workload_file.empty()) return load_workload_file(workload_file);
  // A name that is no zoo model but exists, or looks like a path, is a workload file (so that a
  // missing file is reported as such rather than as an unknown model).
  struct stat st {};
  const bool looks_like_path = model.find('/') != std::string::npos || is_onnx_path(model) ||
                               (model.size() > 5 && model.compare(model.size() - 5, 5, ".json") == 0);
  if (!is_zoo_model(model) && (looks_like_path || ::stat(model.c_str(), &st) == 0)) return load_workload_file(model);
  return build_zoo_model(model);
}

HardwareSpec resolve_hardware(const std::string& hw_file, const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  return load_hardware(hw_file, overrides);
}

void write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  write_file_atomic(path, text);
}

}  // namespace h4h
