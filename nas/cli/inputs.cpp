#include "nas/cli/inputs.h"

#include <iostream>

#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

Workload resolve_workload(const std::string& model, const std::string& workload_file) {
  if (model.empty() == workload_file.empty()) throw InputError("give exactly one of --model NAME or --workload FILE");
  return workload_file.empty() ? workload_by_name(model) : load_workload_file(workload_file);
}

void write_output(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text;
    return;
  }
  write_file_atomic(path, text);
}

}  // namespace h4h
