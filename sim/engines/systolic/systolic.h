#pragma once
// The `systolic` NPU engine: an npu.array_rows x npu.array_cols systolic array in npu.dataflow
// (os | ws | is), counted as SCALE-Sim v2 does (npu_systolic.cpp); ops without MACs run on a vector
// unit with one lane per array column. The free functions are the engine's methods, for tests that
// call them directly.
#include "sim/engines/npu_model.h"

namespace h4h {

NpuComputeEstimate estimate_systolic(const Layer& layer, const Precision& precision, const NpuSpec& npu);
NpuSchedule systolic_schedule(const Layer& layer, const Precision& precision, const NpuSpec& npu);

}  // namespace h4h
