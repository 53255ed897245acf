// ONNX import of data movement and views: reshape / transpose / concat layers when data moves,
// none for views and shape subgraphs; symbolic input dimensions.
#include <gtest/gtest.h>

#include "models/onnx/onnx_import.h"
#include "sim/core/error.h"
#include "tests/models/onnx/onnx_test_model.h"

namespace h4h::test {
namespace {

constexpr int64_t N = OnnxModel::kBatch;

TEST(OnnxImportData, ReshapeTransposeConcatAreDataMovement) {
  // Patch grid [1, C, H, W] -> tokens [1, HW, C], then a class token is prepended.
  OnnxModel m;
  m.input("x", {N, 16, 4, 4}).ints("shape", {1, 16, 16}).weight("cls", {1, 1, 16});
  m.node("Reshape", {"x", "shape"}, {"f"}, "flatten");
  set_attr(m.node("Transpose", {"f"}, {"t"}, "to_tokens"), "perm", std::vector<int64_t>{0, 2, 1});
  set_attr(m.node("Concat", {"cls", "t"}, {"y"}, "cat"), "axis", int64_t(1));
  m.output("y", {1, 17, 16});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 3u);
  EXPECT_EQ(w.layers[0].op, OpKind::Reshape);
  EXPECT_EQ(w.layers[0].input, (Shape{4, 4, 16}));
  EXPECT_EQ(w.layers[0].output, (Shape{1, 16, 16}));
  EXPECT_EQ(w.layers[1].op, OpKind::Transpose);
  EXPECT_EQ(w.layers[1].output, (Shape{1, 16, 16}));
  EXPECT_EQ(w.layers[1].perm[1], 2);
  EXPECT_EQ(w.layers[2].op, OpKind::Concat);
  EXPECT_EQ(w.layers[2].axis, 1);
  EXPECT_EQ(w.layers[2].output, (Shape{1, 17, 16}));
  EXPECT_EQ(w.layers[2].inputs, std::vector<int>{1});  // the class token is read from memory
  for (const Layer& l : w.layers) EXPECT_EQ(count_layer(l, w.precision).macs, 0);
}

TEST(OnnxImportData, TransposeOfFourMovingGroupsIsApproximatedWithANote) {
  OnnxModel m;
  m.input("x", {N, 2, 3, 4, 5});
  set_attr(m.node("Transpose", {"x"}, {"y"}, "shuffle"), "perm", std::vector<int64_t>{0, 4, 3, 2, 1});
  m.output("y", {1, 5, 4, 3, 2});
  std::string notes;
  OnnxImportOptions options;
  options.on_note = [&](const std::string& s) { notes += s; };
  const Workload w = import(m, options);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].op, OpKind::Transpose);
  EXPECT_EQ(w.layers[0].output.elements(), 120);
  EXPECT_NE(notes.find("node 'shuffle' (Transpose)"), std::string::npos) << notes;
}

TEST(OnnxImportData, TransposeThatMovesNothingIsAView) {
  // NCHW -> NHWC of a conv output: already NHWC in the workload.
  OnnxModel m;
  m.input("x", {N, 4, 8, 8}).weight("W", {4, 4, 1, 1}).weight("fc", {4, 6});
  m.node("Conv", {"x", "W"}, {"c"}, "conv");
  set_attr(m.node("Transpose", {"c"}, {"t"}, "to_nhwc"), "perm", std::vector<int64_t>{0, 2, 3, 1});
  m.node("MatMul", {"t", "fc"}, {"y"}, "fc");
  m.output("y", {1, 8, 8, 6});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(w.layers[1].op, OpKind::Linear);
  EXPECT_EQ(w.layers[1].input, (Shape{8, 8, 4}));
  EXPECT_EQ(w.layers[1].inputs, std::vector<int>{0});
  EXPECT_EQ(count_layer(w.layers[1], w.precision).macs, 8 * 8 * 4 * 6);
}

TEST(OnnxImportData, ViewsAndShapeSubgraphsAddNoLayers) {
  // Flatten as exported by torch: Shape -> Gather -> Unsqueeze -> Concat -> Reshape, plus
  // Identity, Dropout and Squeeze/Unsqueeze that keep the workload shape.
  OnnxModel m;
  m.input("x", {N, 8, 1, 1}).ints("zero", {0}, true).ints("minus1", {-1}).ints("ax0", {0});
  m.weight("W", {10, 8}).weight("B", {10});
  m.node("Identity", {"x"}, {"i"});
  m.node("Dropout", {"i"}, {"d"});
  m.node("Shape", {"d"}, {"shape"});
  m.node("Gather", {"shape", "zero"}, {"batch"});
  m.node("Unsqueeze", {"batch", "ax0"}, {"batch1"});
  m.node("Concat", {"batch1", "minus1"}, {"target"});
  set_attr(*m.proto().mutable_graph()->mutable_node(5), "axis", int64_t(0));
  m.node("Reshape", {"d", "target"}, {"flat"});
  set_attr(m.node("Gemm", {"flat", "W", "B"}, {"y"}, "fc"), "transB", int64_t(1));
  m.output("y", {1, 10});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].name, "fc");
  EXPECT_EQ(w.layers[0].input, (Shape{1, 1, 8}));
  EXPECT_TRUE(w.layers[0].inputs.empty());
}

TEST(OnnxImportData, NamedSymbolicDimensionsTakeGivenValues) {
  OnnxModel m;
  m.input("x", {N, -1, 32}, "seq").weight("W", {32, 8});
  m.node("MatMul", {"x", "W"}, {"y"}, "proj");
  m.output("y", {1, 10, 8});
  EXPECT_THROW(import(m), InputError);
  OnnxImportOptions options;
  options.dims["seq"] = 10;
  const Workload w = import(m, options);
  EXPECT_EQ(w.layers[0].input, (Shape{1, 10, 32}));
}

}  // namespace
}  // namespace h4h::test
