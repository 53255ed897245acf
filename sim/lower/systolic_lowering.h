#pragma once
// Layers to the systolic NPU's commands (sim/systemc/program.h). A layer with MACs becomes one
// SystolicCommand: SCALE-Sim's unpadded convolution over the input (valid padding) or over the
// window extent the outputs need ((out - 1) * stride + kernel rows and columns; padding is read as
// if it were data), one repeat
// per convolution group, per depthwise channel (a depth multiplier: its filters) or per matmul
// batch; linear = a GEMM (tokens x in) * (in x out). SCALE-Sim's stride is one value for both
// axes: stride_h is used (a layer with stride_h != stride_w is refused). Other layers become a
// VectorCommand on npu.array_cols lanes: softmax, layernorm and LUT activations take their
// npu.*_passes passes per step (the hardware file's figures), others one.
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"
#include "sim/systemc/program.h"

namespace h4h {

bool lower_systolic(const Layer& part, const Precision& precision, const NpuSpec& npu,
                    const std::vector<cyc::TensorRef>& inputs, const cyc::TensorRef& weights,
                    const cyc::TensorRef& output, cyc::NpuTask* task, std::string* reason);

// The vector-path command of a layer without MACs.
cyc::VectorCommand vector_command(const Layer& part, const Precision& precision, const NpuSpec& npu,
                                  const std::vector<cyc::TensorRef>& inputs, const cyc::TensorRef& output);

}  // namespace h4h
