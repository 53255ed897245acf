#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "models/zoo/builder.h"
#include "sim/core/error.h"

namespace h4h {
namespace {

using T = NetworkBuilder::Tensor;

TEST(MakeDivisible, RoundsLikeTorchvision) {
  EXPECT_EQ(make_divisible(18, 8), 24);  // 16 would be more than 10% below 18
  EXPECT_EQ(make_divisible(30, 8), 32);
  EXPECT_EQ(make_divisible(64, 8), 64);
  EXPECT_EQ(make_divisible(168, 8), 168);
  EXPECT_EQ(make_divisible(3, 8), 8);
}

TEST(NetworkBuilder, ScopesNameLayers) {
  NetworkBuilder b("net", Shape{8, 8, 4});
  b.conv("stem", 8, 3, 2);
  {
    auto s = b.scope("features.3");
    b.conv("conv.0", 16, 1);
    {
      auto s2 = b.scope("conv");
      b.depthwise("1", 3);
    }
    b.conv("conv.2", 8, 1);
  }
  b.conv("head", 4, 1);
  const Workload w = b.build();
  ASSERT_EQ(w.layers.size(), 5u);
  EXPECT_EQ(w.name, "net");
  EXPECT_EQ(w.layers[1].name, "features.3.conv.0");
  EXPECT_EQ(w.layers[2].name, "features.3.conv.1");
  EXPECT_EQ(w.layers[3].name, "features.3.conv.2");
  EXPECT_EQ(w.layers[4].name, "head");
}

TEST(NetworkBuilder, TracksCurrentTensorAndProducers) {
  NetworkBuilder b("net", Shape{32, 32, 3});
  EXPECT_EQ(b.current().producer, -1);
  const T a = b.conv("a", 16, 3, 2, ActivationFn::Relu);
  EXPECT_EQ(a.producer, 0);
  EXPECT_EQ(a.shape, (Shape{16, 16, 16}));
  const T d = b.depthwise("d", 5, 2, ActivationFn::Relu6);
  EXPECT_EQ(d.producer, 1);
  EXPECT_EQ(d.shape, (Shape{8, 8, 16}));
  const Workload w = b.build();
  EXPECT_TRUE(w.layers[0].inputs.empty());
  EXPECT_EQ(w.layers[0].input, (Shape{32, 32, 3}));
  EXPECT_EQ(w.layers[0].activation, ActivationFn::Relu);
  EXPECT_EQ(w.layers[1].inputs, std::vector<int>{0});
  EXPECT_EQ(w.layers[1].op, OpKind::DepthwiseConv2d);
  EXPECT_EQ(w.layers[1].out_channels, 16);
  EXPECT_EQ(w.layers[1].input, a.shape);
}

TEST(NetworkBuilder, ResidualAddByNameOrTensor) {
  NetworkBuilder b("net", Shape{8, 8, 16});
  b.conv("block.conv1", 16, 3);
  const T second = b.conv("block.conv2", 16, 3);
  b.add("block.add", "block.conv1");
  b.add("again", second);
  const Workload w = b.build();
  EXPECT_EQ(w.layers[2].op, OpKind::Add);
  EXPECT_EQ(w.layers[2].inputs, (std::vector<int>{1, 0}));
  EXPECT_EQ(w.layers[2].output, (Shape{8, 8, 16}));
  EXPECT_EQ(w.layers[3].inputs, (std::vector<int>{2, 1}));
}

TEST(NetworkBuilder, SqueezeExcitationBroadcastMul) {
  NetworkBuilder b("net", Shape{14, 14, 32});
  const T x = b.depthwise("dw", 3);
  b.global_avgpool("se.pool");
  b.conv("se.fc1", 8, 1, 1, ActivationFn::Relu);
  const T gate = b.conv("se.fc2", 32, 1, 1, ActivationFn::HSigmoid);
  EXPECT_EQ(gate.shape, (Shape{1, 1, 32}));
  b.set_current(x);
  const T y = b.mul("se.scale", gate);
  EXPECT_EQ(y.shape, (Shape{14, 14, 32}));
  const Workload w = b.build();
  const Layer& mul = w.layers.back();
  EXPECT_EQ(mul.op, OpKind::Mul);
  EXPECT_EQ(mul.input, (Shape{14, 14, 32}));
  EXPECT_EQ(mul.extra_inputs, std::vector<Shape>{(Shape{1, 1, 32})});
  EXPECT_EQ(mul.inputs, (std::vector<int>{0, 3}));
}

TEST(NetworkBuilder, TokensAttentionAndMemoryOperands) {
  NetworkBuilder b("net", Shape{1, 4, 8});
  EXPECT_EQ(b.current().producer, -1);
  b.layernorm("norm");
  b.linear("qkv", 24);
  b.reshape("split", Shape{4, 6, 4});
  const T heads = b.transpose("heads", 1, 0, 2);
  EXPECT_EQ(heads.shape, (Shape{6, 4, 4}));
  const T s = b.matmul("q_kt", heads, heads, 2, 4, 4, 4);
  EXPECT_EQ(s.shape, (Shape{2, 4, 4}));
  b.add("bias", NetworkBuilder::from_memory(Shape{2, 4, 4}));
  b.softmax("softmax");
  EXPECT_EQ(b.concat("cat", {NetworkBuilder::from_memory(Shape{2, 4, 1})}, 2).shape, (Shape{2, 4, 5}));
  // A cls token read from memory, prepended to the normalized tokens.
  b.set_current(NetworkBuilder::from_memory(Shape{1, 1, 8}));
  EXPECT_EQ(b.concat("cls", {b.output_of("norm")}, 1).shape, (Shape{1, 5, 8}));
  const Workload w = b.build();
  EXPECT_TRUE(w.layers[0].inputs.empty());
  const Layer& mm = w.layers[w.find("q_kt")];
  EXPECT_EQ(mm.inputs, (std::vector<int>{3, 3}));
  EXPECT_EQ(mm.input, (Shape{2, 4, 4}));
  EXPECT_EQ(mm.extra_inputs, std::vector<Shape>{(Shape{2, 4, 4})});
  EXPECT_EQ(count_layer(mm, w.precision).macs, 2 * 4 * 4 * 4);
  EXPECT_EQ(w.layers[w.find("bias")].inputs, std::vector<int>{4});  // the memory operand is no producer
  EXPECT_EQ(w.layers[w.find("cls")].inputs, std::vector<int>{0});
  EXPECT_EQ(w.layers[w.find("cls")].input, (Shape{1, 1, 8}));
}

TEST(NetworkBuilder, TakeTokensFeedsAHeadWithOneToken) {
  NetworkBuilder b("net", Shape{1, 197, 192});
  const T norm = b.layernorm("norm");
  b.set_current(NetworkBuilder::take_tokens(norm, 1));
  const T logits = b.linear("head", 1000);
  EXPECT_EQ(logits.shape, (Shape{1, 1, 1000}));
  const Workload w = b.build();
  EXPECT_EQ(w.layers[1].input, (Shape{1, 1, 192}));
  EXPECT_EQ(w.layers[1].inputs, std::vector<int>{0});
  EXPECT_EQ(count_layer(w.layers[1], w.precision).macs, 192 * 1000);
  EXPECT_THROW(NetworkBuilder::take_tokens(T{0, Shape{2, 3, 4}}, 1), InputError);
}

TEST(NetworkBuilder, PoolsAndPadding) {
  NetworkBuilder b("net", Shape{112, 112, 64});
  EXPECT_EQ(b.maxpool("maxpool", 3, 2).shape, (Shape{56, 56, 64}));
  EXPECT_EQ(b.avgpool("avgpool", 2, 2, Padding::Valid).shape, (Shape{28, 28, 64}));
  EXPECT_EQ(b.conv("patch", 32, 4, 4, ActivationFn::None, 1, true, Padding::Valid).shape, (Shape{7, 7, 32}));
  EXPECT_EQ(b.conv("grouped", 64, 3, 1, ActivationFn::None, 4).shape, (Shape{7, 7, 64}));
  EXPECT_EQ(b.act("swish", ActivationFn::Swish).shape, (Shape{7, 7, 64}));
  EXPECT_EQ(b.global_avgpool("gap").shape, (Shape{1, 1, 64}));
  const Workload w = b.build();
  EXPECT_EQ(w.layers[3].groups, 4);
  EXPECT_EQ(w.layers[4].op, OpKind::Activation);
  EXPECT_EQ(w.layers[4].activation, ActivationFn::Swish);
}

TEST(NetworkBuilder, RejectsDuplicateNames) {
  NetworkBuilder b("net", Shape{8, 8, 4});
  b.conv("conv", 8, 3);
  EXPECT_THROW(b.conv("conv", 8, 3), InputError);
  auto s = b.scope("block");
  EXPECT_NO_THROW(b.conv("conv", 8, 3));  // "block.conv"
}

TEST(NetworkBuilder, ReportsABadShapeAtTheLayer) {
  NetworkBuilder b("net", Shape{8, 8, 4});
  try {
    b.reshape("flatten", Shape{1, 1, 100});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("flatten"), std::string::npos) << e.what();
  }
  EXPECT_THROW(b.add("add", NetworkBuilder::from_memory(Shape{8, 8, 3})), InputError);
  EXPECT_THROW(b.output_of("missing"), InputError);
  EXPECT_THROW(b.output_of(7), InputError);
}

TEST(NetworkBuilder, BuildLeavesTheBuilderEmpty) {
  NetworkBuilder b("net", Shape{8, 8, 4});
  b.conv("conv", 8, 3);
  EXPECT_EQ(b.size(), 1);
  EXPECT_EQ(b.output_of("conv").producer, 0);
  const Workload w = b.build();
  EXPECT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(b.size(), 0);
}

}  // namespace
}  // namespace h4h
