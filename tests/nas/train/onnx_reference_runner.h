#pragma once
// A small reference interpreter for ONNX graphs, on LibTorch, for testing the exporter's numerics
// (Debian ships no ONNX runtime). It implements, from the ONNX operator specifications (opset 17),
// exactly the ops h4h's exporter emits: Conv, Relu, Clip, Sigmoid, HardSigmoid, HardSwish, Erf, Add,
// Sub, Mul, Div, GlobalAveragePool, Flatten, Gemm, MatMul, Reshape, Transpose, Gather, Softmax,
// LayerNormalization, Identity. Any other op, attribute value or input it does not model throws
// std::runtime_error naming the node, so a graph the runner accepts is one it computes faithfully.
// Computation is float32, nodes in graph order (the exporter writes them topologically sorted).
#include <onnx/onnx_pb.h>
#include <torch/torch.h>

#include <map>
#include <string>

namespace h4h::test {

// The tensor an initializer holds (FLOAT or INT64; raw_data or the typed fields).
torch::Tensor onnx_tensor(const onnx::TensorProto& t);

// Runs the graph on `inputs` (by graph input name); returns every graph output by name.
std::map<std::string, torch::Tensor> run_onnx(const onnx::ModelProto& model,
                                              const std::map<std::string, torch::Tensor>& inputs);

}  // namespace h4h::test
