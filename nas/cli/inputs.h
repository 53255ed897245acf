#pragma once
// Inputs shared by subcommands: a workload from --model NAME or --workload FILE, a hardware file
// with --set overrides, and a mapping from --mapping SCHEMA|FILE.
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"

namespace h4h {

// Exactly one of model / workload_file must be non-empty (InputError otherwise). A name that is
// not a zoo model but an existing file, or a path (a '/', a .json or .onnx ending), is read as a
// workload file. A file ending in .onnx is an ONNX model, imported (import_onnx) on the fly.
Workload resolve_workload(const std::string& model, const std::string& workload_file);

HardwareSpec resolve_hardware(const std::string& hw_file, const std::vector<std::string>& sets);

// Writes `text` to `path` atomically; "-" means standard output.
void write_output(const std::string& path, const std::string& text);

}  // namespace h4h
