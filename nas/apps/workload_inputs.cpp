#include "nas/apps/workload_inputs.h"

#include <sys/stat.h>

#include <iostream>

#include "models/onnx/onnx_import.h"
#include "models/zoo/zoo.h"
#include "sim/core/workload_json.h"

namespace h4h {

Workload load_workload_file(const std::string& path) {
  if (!is_onnx_path(path)) return load_workload(path);
  OnnxImportOptions options;
  options.on_note = [](const std::string& note) { std::cerr << "h4h: note: " << note << "\n"; };
  return import_onnx(path, options);
}

Workload workload_by_name(const std::string& name) {
  struct stat st {};
  const bool looks_like_path = name.find('/') != std::string::npos || is_onnx_path(name) ||
                               (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0);
  if (!is_zoo_model(name) && (looks_like_path || ::stat(name.c_str(), &st) == 0)) return load_workload_file(name);
  return build_zoo_model(name);
}

HardwareSpec resolve_hardware(const std::string& hw_file, const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  return load_hardware(hw_file, overrides);
}

}  // namespace h4h
