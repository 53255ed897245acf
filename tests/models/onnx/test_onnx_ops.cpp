// ONNX import of the compute ops: each becomes the expected workload layer, with the shapes, MACs
// and parameters the workload's own counting gives.
#include <gtest/gtest.h>

#include "models/onnx/onnx_import.h"
#include "sim/core/error.h"
#include "tests/models/onnx/onnx_test_model.h"

namespace h4h::test {
namespace {

constexpr int64_t N = OnnxModel::kBatch;

// x [N, cin, h, w] -> Conv(W [cout, cin/group, k, k]) -> y; returns the model for more nodes.
OnnxModel conv_model(int64_t cin, int64_t h, int64_t cout, int64_t k, int64_t group, int64_t stride, int64_t pad,
                     int64_t out_hw, bool bias = true) {
  OnnxModel m;
  m.input("x", {N, cin, h, h}).weight("W", {cout, cin / group, k, k});
  std::vector<std::string> in = {"x", "W"};
  if (bias) m.weight("B", {cout}), in.push_back("B");
  onnx::NodeProto& n = m.node("Conv", in, {"y"}, "conv");
  set_attr(n, "group", group);
  set_attr(n, "strides", std::vector<int64_t>{stride, stride});
  set_attr(n, "pads", std::vector<int64_t>{pad, pad, pad, pad});
  m.output("y", {1, cout, out_hw, out_hw});
  return m;
}

TEST(OnnxImportOps, ConvMapsNchwToNhwcWithSamePadding) {
  const Workload w = import(conv_model(3, 32, 16, 3, 1, 2, 1, 16));
  ASSERT_EQ(w.layers.size(), 1u);
  const Layer& l = w.layers[0];
  EXPECT_EQ(w.name, "test");
  EXPECT_EQ(l.name, "conv");
  EXPECT_EQ(l.op, OpKind::Conv2d);
  EXPECT_EQ(l.input, (Shape{32, 32, 3}));
  EXPECT_EQ(l.output, (Shape{16, 16, 16}));
  EXPECT_EQ(l.kernel_h, 3);
  EXPECT_EQ(l.stride_w, 2);
  EXPECT_EQ(l.padding, Padding::Same);
  EXPECT_TRUE(l.bias);
  EXPECT_TRUE(l.inputs.empty());  // reads the network input from memory
  EXPECT_EQ(counts(w, "conv").macs, 16 * 16 * 16 * 3 * 3 * 3);
  EXPECT_EQ(counts(w, "conv").params, 16 * 27 + 16);
}

TEST(OnnxImportOps, ConvWithoutPaddingIsValid) {
  const Workload w = import(conv_model(4, 8, 8, 3, 1, 1, 0, 6, false));
  EXPECT_EQ(w.layers[0].padding, Padding::Valid);
  EXPECT_EQ(w.layers[0].output, (Shape{6, 6, 8}));
  EXPECT_FALSE(w.layers[0].bias);
}

TEST(OnnxImportOps, GroupedConvKeepsGroups) {
  const Workload w = import(conv_model(8, 8, 16, 3, 4, 1, 1, 8));
  EXPECT_EQ(w.layers[0].op, OpKind::Conv2d);
  EXPECT_EQ(w.layers[0].groups, 4);
  EXPECT_EQ(counts(w, "conv").macs, 8 * 8 * 16 * 9 * 2);
  EXPECT_EQ(counts(w, "conv").params, 16 * 2 * 9 + 16);
}

TEST(OnnxImportOps, DepthwiseConv) {
  const Workload w = import(conv_model(8, 8, 8, 3, 8, 2, 1, 4));
  EXPECT_EQ(w.layers[0].op, OpKind::DepthwiseConv2d);
  EXPECT_EQ(w.layers[0].output, (Shape{4, 4, 8}));
  EXPECT_EQ(counts(w, "conv").macs, 4 * 4 * 8 * 9);
  EXPECT_EQ(counts(w, "conv").params, 8 * 9 + 8);
}

TEST(OnnxImportOps, DepthwiseWithChannelMultiplierIsGroupedConv) {
  const Workload w = import(conv_model(8, 8, 16, 3, 8, 1, 1, 8));
  EXPECT_EQ(w.layers[0].op, OpKind::Conv2d);
  EXPECT_EQ(w.layers[0].groups, 8);
  EXPECT_EQ(counts(w, "conv").macs, 8 * 8 * 16 * 9);
}

TEST(OnnxImportOps, RectangularKernel) {
  OnnxModel m;
  m.input("x", {1, 4, 8, 8}).weight("W", {4, 4, 1, 7});
  onnx::NodeProto& n = m.node("Conv", {"x", "W"}, {"y"}, "conv17");
  set_attr(n, "pads", std::vector<int64_t>{0, 3, 0, 3});
  m.output("y", {1, 4, 8, 8});
  const Workload w = import(m);
  EXPECT_EQ(w.layers[0].kernel_h, 1);
  EXPECT_EQ(w.layers[0].kernel_w, 7);
  EXPECT_EQ(w.layers[0].output, (Shape{8, 8, 4}));
  EXPECT_EQ(counts(w, "conv17").macs, 8 * 8 * 4 * 7 * 4);
}

TEST(OnnxImportOps, PaddingNeitherSameNorValidIsAnError) {
  try {
    import(conv_model(4, 8, 4, 3, 1, 1, 2, 10));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'conv' (Conv)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("pads [2, 2, 2, 2]"), std::string::npos) << e.what();
  }
}

TEST(OnnxImportOps, DilatedConvIsAnError) {
  OnnxModel m = conv_model(4, 8, 4, 3, 1, 1, 2, 8);
  set_attr(*m.proto().mutable_graph()->mutable_node(0), "dilations", std::vector<int64_t>{2, 2});
  EXPECT_THROW(import(m), InputError);
}

TEST(OnnxImportOps, GemmIsLinear) {
  OnnxModel m;
  m.input("x", {N, 64}).weight("W", {10, 64}).weight("C", {10});
  set_attr(m.node("Gemm", {"x", "W", "C"}, {"y"}, "fc"), "transB", int64_t(1));
  m.output("y", {1, 10});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  const Layer& l = w.layers[0];
  EXPECT_EQ(l.op, OpKind::Linear);
  EXPECT_EQ(l.input, (Shape{1, 1, 64}));
  EXPECT_EQ(l.out_features, 10);
  EXPECT_TRUE(l.bias);
  EXPECT_EQ(counts(w, "fc").macs, 640);
  EXPECT_EQ(counts(w, "fc").params, 650);
}

TEST(OnnxImportOps, MatMulWithWeightsAndBiasIsOneLinear) {
  OnnxModel m;
  m.input("x", {N, 197, 192}).weight("W", {192, 576}).weight("b", {576});
  m.node("MatMul", {"x", "W"}, {"xw"}, "qkv");
  m.node("Add", {"b", "xw"}, {"y"}, "qkv_bias");
  m.output("y", {1, 197, 576});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].name, "qkv");
  EXPECT_EQ(w.layers[0].op, OpKind::Linear);
  EXPECT_EQ(w.layers[0].input, (Shape{1, 197, 192}));
  EXPECT_TRUE(w.layers[0].bias);
  EXPECT_EQ(counts(w, "qkv").macs, 197 * 192 * 576);
  EXPECT_EQ(counts(w, "qkv").params, 192 * 576 + 576);
}

TEST(OnnxImportOps, MatMulOfActivationsIsBatchedMatmul) {
  OnnxModel m;
  m.input("q", {N, 3, 197, 64}).input("kt", {N, 3, 64, 197});
  m.node("MatMul", {"q", "kt"}, {"s"}, "scores");
  m.output("s", {1, 3, 197, 197});
  const Workload w = import(m);
  const Layer& l = w.layers[0];
  EXPECT_EQ(l.op, OpKind::Matmul);
  EXPECT_EQ(l.batch, 3);
  EXPECT_EQ(l.m, 197);
  EXPECT_EQ(l.k, 64);
  EXPECT_EQ(l.n, 197);
  EXPECT_TRUE(l.inputs.empty());
  EXPECT_EQ(counts(w, "scores").macs, 3 * 197 * 64 * 197);
  EXPECT_EQ(counts(w, "scores").params, 0);
}

TEST(OnnxImportOps, ElementwiseOpsWireTheirProducers) {
  OnnxModel m;
  m.input("x", {N, 8, 4, 4}).weight("W", {8, 8, 1, 1}).weight("s", {8, 1, 1});
  m.node("Conv", {"x", "W"}, {"a"}, "c1");
  m.node("Mul", {"a", "s"}, {"b"}, "scale");          // constant operand: broadcast [1, 1, C]
  m.node("Add", {"b", "a"}, {"y"}, "residual");       // two activations
  m.node("Sub", {"y", "s"}, {"z"}, "shift");          // costed as add
  m.output("z", {1, 8, 4, 4});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 4u);
  const Layer& scale = layer(w, "scale");
  EXPECT_EQ(scale.op, OpKind::Mul);
  ASSERT_EQ(scale.extra_inputs.size(), 1u);
  EXPECT_EQ(scale.extra_inputs[0], (Shape{1, 1, 8}));
  EXPECT_EQ(scale.inputs, std::vector<int>{0});
  const Layer& res = layer(w, "residual");
  EXPECT_EQ(res.op, OpKind::Add);
  EXPECT_EQ(res.inputs, (std::vector<int>{1, 0}));
  EXPECT_EQ(res.output, (Shape{4, 4, 8}));
  EXPECT_EQ(layer(w, "shift").op, OpKind::Add);
  EXPECT_EQ(counts(w, "residual").elementwise_ops, 4 * 4 * 8);
}

TEST(OnnxImportOps, SoftmaxAndLayerNorm) {
  OnnxModel m;
  m.input("x", {N, 16, 32}).weight("g", {32}).weight("b", {32});
  m.node("LayerNormalization", {"x", "g", "b"}, {"n"}, "ln");
  m.node("Softmax", {"n"}, {"y"}, "sm");
  m.output("y", {1, 16, 32});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.layers[0].op, OpKind::LayerNorm);
  EXPECT_EQ(w.layers[0].input, (Shape{1, 16, 32}));
  EXPECT_EQ(counts(w, "ln").params, 64);
  EXPECT_EQ(w.layers[1].op, OpKind::Softmax);
  EXPECT_EQ(w.layers[1].inputs, std::vector<int>{0});
}

TEST(OnnxImportOps, Pools) {
  OnnxModel m;
  m.input("x", {N, 8, 16, 16});
  onnx::NodeProto& mp = m.node("MaxPool", {"x"}, {"a"}, "maxpool");
  set_attr(mp, "kernel_shape", std::vector<int64_t>{3, 3});
  set_attr(mp, "strides", std::vector<int64_t>{2, 2});
  set_attr(mp, "pads", std::vector<int64_t>{1, 1, 1, 1});
  onnx::NodeProto& ap = m.node("AveragePool", {"a"}, {"b"}, "avgpool");
  set_attr(ap, "kernel_shape", std::vector<int64_t>{2, 2});
  set_attr(ap, "strides", std::vector<int64_t>{2, 2});
  m.node("GlobalAveragePool", {"b"}, {"y"}, "gap");
  m.output("y", {1, 8, 1, 1});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 3u);
  EXPECT_EQ(w.layers[0].op, OpKind::MaxPool);
  EXPECT_EQ(w.layers[0].output, (Shape{8, 8, 8}));
  EXPECT_EQ(w.layers[1].op, OpKind::AvgPool);
  EXPECT_EQ(w.layers[1].output, (Shape{4, 4, 8}));
  EXPECT_EQ(w.layers[2].op, OpKind::GlobalAvgPool);
  EXPECT_EQ(w.layers[2].output, (Shape{1, 1, 8}));
  EXPECT_EQ(counts(w, "maxpool").elementwise_ops, 8 * 8 * 8 * 9);
}

TEST(OnnxImportOps, GlobalMaxPoolIsAWholePlaneMaxPool) {
  OnnxModel m;
  m.input("x", {N, 8, 5, 7});
  m.node("GlobalMaxPool", {"x"}, {"y"}, "gmp");
  m.output("y", {1, 8, 1, 1});
  const Workload w = import(m);
  EXPECT_EQ(w.layers[0].op, OpKind::MaxPool);
  EXPECT_EQ(w.layers[0].kernel_h, 5);
  EXPECT_EQ(w.layers[0].kernel_w, 7);
  EXPECT_EQ(w.layers[0].output, (Shape{1, 1, 8}));
  EXPECT_EQ(counts(w, "gmp").elementwise_ops, 8 * 35);
}

TEST(OnnxImportOps, SpatialReduceMeanIsGlobalAvgPool) {
  OnnxModel m;
  m.input("x", {N, 8, 7, 7});
  onnx::NodeProto& r = m.node("ReduceMean", {"x"}, {"y"}, "mean");
  set_attr(r, "axes", std::vector<int64_t>{2, 3});
  set_attr(r, "keepdims", int64_t(0));
  m.output("y", {1, 8});
  const Workload w = import(m);
  EXPECT_EQ(w.layers[0].op, OpKind::GlobalAvgPool);
  EXPECT_EQ(w.layers[0].input, (Shape{7, 7, 8}));
}

}  // namespace
}  // namespace h4h::test
