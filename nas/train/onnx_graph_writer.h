#pragma once
// A StaticSubnet (models/torch/static_modules.h) as a standard ONNX model, opset 17, the IR version
// of the linked onnx library. The graph mirrors StaticSubnetImpl::forward in eval mode, op by op:
//   conv + BatchNorm   -> Conv, the running statistics folded into its weight and bias (in float64)
//   activations        -> relu: Relu; relu6: Clip(0, 6); swish: Mul(x, Sigmoid(x)); hswish: HardSwish;
//                         gelu (exact): 0.5 * x * (1 + Erf(x / sqrt(2))); SE gate: HardSigmoid(1/6, 1/2)
//   SE                 -> GlobalAveragePool, Conv, Relu, Conv, HardSigmoid, Mul
//   transformer block  -> Transpose/Reshape to tokens, LayerNormalization, MatMul + Add (linear),
//                         Reshape/Transpose/Gather into per-head q, k, v, Mul by 1/sqrt(head_dim),
//                         MatMul, Softmax, MatMul, Transpose/Reshape, residual Adds, back to the grid
//   head               -> Conv, GlobalAveragePool, Flatten, Gemm (transB) for head.fc and classifier
// Input "images" [N, C_in, R, R] (NCHW, float32, normalised as in training; R = arch.resolution),
// output "logits" [N, num_classes]. Weighted nodes carry arch_workload's layer names ("first_conv",
// "s1.0.expand", "s2.1.qkv", "head.fc", ...), so a mapping's layer names find their nodes.
// Weights are float32 initializers (raw_data); shapes and indices are int64 initializers.
#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <string>

#include "models/space/search_space.h"
#include "models/torch/static_modules.h"

namespace h4h {

constexpr int64_t kOnnxOpset = 17;

struct OnnxGraphOptions {
  std::string batch_dim = "N";  // the symbolic batch dimension of input and output; empty: batch 1
  std::string graph_name;       // empty: "<space>/<arch_key>"
};

// `subnet` must have been built for `space` (its arch() a member of it). Reads the weights and BN
// statistics without changing the module.
onnx::ModelProto static_subnet_to_onnx(StaticSubnetImpl& subnet, const SearchSpace& space,
                                       const OnnxGraphOptions& options = {});

// onnx::checker::check_model, then shape inference with type checks and node errors thrown (what
// Python's check_model(full_check=True) runs); the inferred shapes are left in the graph's value_info.
// Throws std::runtime_error with onnx's message.
void check_onnx_model(onnx::ModelProto& model);

}  // namespace h4h
