// Writes the generated seed inputs of two harnesses under DIR (created if needed):
//   DIR/onnx_import/*.onnx     small networks built with ONNX's protobuf classes as the importer's
//                              tests build them (tests/models/onnx): convolutions with batch norm and
//                              activations, pooling, a squeeze-excite gate, concatenation and a
//                              classifier; an attention block with an MLP on a symbolic sequence
//                              length; a slice/split/view chain. Weights are zeros: the importer reads
//                              shapes, and small seeds fuzz faster.
//   DIR/workload_json/*.json   the zoo's models as workload JSON (what `h4h model export` writes).
// Every seed is checked to import / load: a seed the parser rejects teaches the fuzzer little.
#include <filesystem>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "models/zoo/zoo.h"
#include "onnx_test_model.h"
#include "sim/core/workload_json.h"

namespace {

using h4h::test::OnnxModel;
using h4h::test::add_attention_block;
using h4h::test::conv_bn;
using h4h::test::set_attr;
constexpr int64_t N = OnnxModel::kBatch;

OnnxModel cnn() {
  OnnxModel m;
  m.input("image", {N, 3, 16, 16}).scalar("zero", 0).scalar("six", 6).ints("flat", {1, -1});
  std::string x = conv_bn(m, "stem", "image", 3, 8, 3, 2, 1, false);
  m.node("Clip", {x, "zero", "six"}, {"stem.out"}, "stem.relu6");
  x = conv_bn(m, "b1.expand", "stem.out", 8, 16, 1, 1, 1, false);
  m.node("HardSwish", {x}, {"b1.act"}, "b1.hswish");
  x = conv_bn(m, "b1.dw", "b1.act", 16, 16, 3, 1, 16, false);
  m.node("Relu", {x}, {"b1.dw.out"}, "b1.relu");
  m.node("GlobalAveragePool", {"b1.dw.out"}, {"se.pool"}, "se.pool");
  m.weight("se.w", {16, 16, 1, 1});
  m.node("Conv", {"se.pool", "se.w"}, {"se.fc"}, "se.fc");
  m.node("HardSigmoid", {"se.fc"}, {"se.gate"}, "se.gate");
  m.node("Mul", {"b1.dw.out", "se.gate"}, {"b1.se"}, "b1.scale");
  x = conv_bn(m, "b1.project", "b1.se", 16, 8, 1, 1, 1, false);
  m.node("Add", {"stem.out", x}, {"b1.out"}, "b1.add");
  onnx::NodeProto& mp = m.node("MaxPool", {"b1.out"}, {"pooled"}, "maxpool");
  set_attr(mp, "kernel_shape", std::vector<int64_t>{2, 2});
  set_attr(mp, "strides", std::vector<int64_t>{2, 2});
  onnx::NodeProto& ap = m.node("AveragePool", {"b1.out"}, {"avg"}, "avgpool");
  set_attr(ap, "kernel_shape", std::vector<int64_t>{2, 2});
  set_attr(ap, "strides", std::vector<int64_t>{2, 2});
  set_attr(m.node("Concat", {"pooled", "avg"}, {"cat"}, "concat"), "axis", int64_t(1));
  m.node("Sigmoid", {"cat"}, {"cat.act"}, "sigmoid");
  m.node("GlobalAveragePool", {"cat.act"}, {"gap"}, "pool");
  m.node("Flatten", {"gap"}, {"flat_out"}, "flatten");
  m.weight("fc.w", {10, 16}).weight("fc.b", {10});
  set_attr(m.node("Gemm", {"flat_out", "fc.w", "fc.b"}, {"logits"}, "fc"), "transB", int64_t(1));
  set_attr(m.node("Softmax", {"logits"}, {"probs"}, "softmax"), "axis", int64_t(-1));
  m.output("probs", {1, 10});
  return m;
}

OnnxModel attention() {
  const int64_t C = 8;
  OnnxModel m;
  m.input("x", {N, -1, C}, "seq");
  add_attention_block(m, -1, C, 2, "Div", 0.5f);
  m.weight("fc1.w", {C, 2 * C}).weight("fc2.w", {2 * C, C});
  m.node("MatMul", {"y", "fc1.w"}, {"h0"}, "fc1");
  m.node("Relu", {"h0"}, {"h1"}, "relu");
  m.node("MatMul", {"h1", "fc2.w"}, {"h2"}, "fc2");
  m.node("Sub", {"h2", "y"}, {"out"}, "diff");
  m.output("out", {1, -1, C});
  return m;
}

OnnxModel views() {
  OnnxModel m(13);
  m.input("x", {N, 8, 4, 4}).ints("starts", {0}).ints("ends", {4}).ints("axes", {1}).ints("split", {4, 4});
  m.ints("sq_axes", {0});
  m.node("Identity", {"x"}, {"x1"}, "identity");
  m.node("Slice", {"x1", "starts", "ends", "axes"}, {"s"}, "slice");
  onnx::NodeProto& sp = m.node("Split", {"x1", "split"}, {"a", "b"}, "split");
  set_attr(sp, "axis", int64_t(1));
  m.node("Add", {"s", "a"}, {"sa"}, "add");
  m.node("Mul", {"sa", "b"}, {"sab"}, "mul");
  m.node("Dropout", {"sab"}, {"d"}, "dropout");
  onnx::NodeProto& rm = m.node("ReduceMean", {"d"}, {"r"}, "reduce");
  set_attr(rm, "axes", std::vector<int64_t>{2, 3});
  set_attr(rm, "keepdims", int64_t(1));
  m.node("GlobalMaxPool", {"d"}, {"g"}, "gmp");
  m.node("Add", {"r", "g"}, {"rg"}, "add2");
  m.node("Squeeze", {"rg", "sq_axes"}, {"out"}, "squeeze");
  m.output("out", {4, 1, 1});
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fuzz_write_seeds DIR\n";
    return 2;
  }
  const std::string onnx_dir = std::string(argv[1]) + "/onnx_import", zoo_dir = std::string(argv[1]) + "/workload_json";
  std::filesystem::create_directories(onnx_dir);
  std::filesystem::create_directories(zoo_dir);
  const std::pair<const char*, OnnxModel> models[] = {{"cnn.onnx", cnn()}, {"attention.onnx", attention()},
                                                      {"views.onnx", views()}};
  for (const auto& [name, model] : models) {
    const std::string path = onnx_dir + "/" + name;
    std::ofstream(path, std::ios::binary) << model.bytes();
    h4h::import_onnx(path, {{}, {{"seq", 16}}, true, {}});
  }
  for (const std::string& name : h4h::zoo_model_names()) {
    const std::string path = zoo_dir + "/" + name + ".json";
    std::ofstream(path) << h4h::workload_to_json(h4h::build_zoo_model(name)).dump();  // compact: short seeds
    h4h::load_workload(path);
  }
  return 0;
}
