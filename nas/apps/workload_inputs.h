#pragma once
// Workloads and systems as users name them: a zoo model, a workload JSON file or an ONNX model; a
// hardware file with KEY=VALUE overrides. Every failure is an InputError naming the file or key.
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

// A workload JSON file, or an ONNX model (by its .onnx ending) imported on the fly; the importer's
// notes go to standard error.
Workload load_workload_file(const std::string& path);

// A zoo model, or a workload file: a name that is not a zoo model but an existing file, or a path
// (a '/', a .json or .onnx ending), is read as a file, so a missing file is reported as such.
Workload workload_by_name(const std::string& name);

// `sets`: "KEY=VALUE" overrides of the hardware file.
HardwareSpec resolve_hardware(const std::string& hw_file, const std::vector<std::string>& sets);

}  // namespace h4h
