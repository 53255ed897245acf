#pragma once
// The `ethos-u55` NPU engine: Arm Ethos-U55's block-based MAC engine and output unit as Vela 3.10
// models them (npu_ethos_u55.cpp). Its own keys: npu.macs_per_cycle (32/64/128/256), npu.shram_kb,
// and the output-unit pass counts npu.softmax_passes, npu.layernorm_passes, npu.lut_activation_passes.
// The free functions are the engine's methods, for tests that call them directly.
#include "sim/engines/npu_model.h"

namespace h4h {

NpuComputeEstimate estimate_ethos_u55(const Layer& layer, const Precision& precision, const NpuSpec& npu);
NpuSchedule ethos_u55_schedule(const Layer& layer, const Precision& precision, const NpuSpec& npu);

}  // namespace h4h
