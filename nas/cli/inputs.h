#pragma once
// Inputs shared by subcommands: a workload from --model NAME or --workload FILE (and, through
// nas/apps/workload_inputs.h, a hardware file with --set overrides), and where outputs go.
#include <string>

#include "nas/apps/workload_inputs.h"

namespace h4h {

// Exactly one of model / workload_file must be non-empty (InputError otherwise); see
// workload_by_name and load_workload_file.
Workload resolve_workload(const std::string& model, const std::string& workload_file);

// Writes `text` to `path` atomically; "-" means standard output.
void write_output(const std::string& path, const std::string& text);

}  // namespace h4h
