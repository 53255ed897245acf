// ONNX import of activations: single ops and patterns (swish, GELU), fused into the layer that
// feeds them or standalone, and BatchNormalization folded into the conv before it.
#include <gtest/gtest.h>

#include <functional>

#include "models/onnx/onnx_import.h"
#include "sim/core/error.h"
#include "tests/models/onnx/onnx_test_model.h"

namespace h4h::test {
namespace {

constexpr int64_t N = OnnxModel::kBatch;

// x -> conv -> <activation nodes made by `add`> -> y

OnnxModel conv_then(const std::function<void(OnnxModel&)>& add) {
  OnnxModel m;
  m.input("x", {N, 4, 8, 8}).weight("W", {4, 4, 3, 3});
  set_attr(m.node("Conv", {"x", "W"}, {"c"}, "conv"), "pads", std::vector<int64_t>{1, 1, 1, 1});
  add(m);
  m.output("y", {1, 4, 8, 8});
  return m;
}

TEST(OnnxImportActivations, ActivationsFuseIntoTheirProducer) {
  const std::pair<const char*, ActivationFn> cases[] = {{"Relu", ActivationFn::Relu},
                                                        {"Sigmoid", ActivationFn::Sigmoid},
                                                        {"HardSwish", ActivationFn::HSwish},
                                                        {"HardSigmoid", ActivationFn::HSigmoid}};
  for (const auto& [op, fn] : cases) {
    const OnnxModel m = conv_then([op = op](OnnxModel& m) { m.node(op, {"c"}, {"y"}, "act"); });
    const Workload fused = import(m);
    ASSERT_EQ(fused.layers.size(), 1u) << op;
    EXPECT_EQ(fused.layers[0].activation, fn) << op;

    OnnxImportOptions separate;
    separate.fuse_activations = false;
    const Workload w = import(m, separate);
    ASSERT_EQ(w.layers.size(), 2u) << op;
    EXPECT_EQ(w.layers[1].op, OpKind::Activation);
    EXPECT_EQ(w.layers[1].activation, fn) << op;
    EXPECT_EQ(w.layers[1].name, "act");
  }
}

TEST(OnnxImportActivations, ClipZeroSixIsRelu6AndOtherRangesAreErrors) {
  auto clip = [](float lo, float hi) {
    return conv_then([=](OnnxModel& m) {
      m.scalar("lo", lo).scalar("hi", hi);
      m.node("Clip", {"c", "lo", "hi"}, {"y"}, "clip");
    });
  };
  EXPECT_EQ(import(clip(0, 6)).layers[0].activation, ActivationFn::Relu6);
  try {
    import(clip(-1, 1));
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'clip' (Clip)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("relu6"), std::string::npos) << e.what();
  }
}

TEST(OnnxImportActivations, SwishPatternIsOneActivation) {
  const OnnxModel m = conv_then([](OnnxModel& m) {
    m.node("Sigmoid", {"c"}, {"s"}, "sig");
    m.node("Mul", {"c", "s"}, {"y"}, "swish");
  });
  const Workload fused = import(m);
  ASSERT_EQ(fused.layers.size(), 1u);
  EXPECT_EQ(fused.layers[0].activation, ActivationFn::Swish);
  OnnxImportOptions separate;
  separate.fuse_activations = false;
  const Workload w = import(m, separate);
  ASSERT_EQ(w.layers.size(), 2u);
  EXPECT_EQ(layer_op_name(w.layers[1]), "swish");
  EXPECT_EQ(w.layers[1].name, "swish");
}

TEST(OnnxImportActivations, HardSigmoidGateIsHardSwish) {
  const OnnxModel m = conv_then([](OnnxModel& m) {
    onnx::NodeProto& hs = m.node("HardSigmoid", {"c"}, {"s"}, "hsig");
    set_attr(hs, "alpha", 1.0f / 6.0f);
    m.node("Mul", {"s", "c"}, {"y"}, "hswish");
  });
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].activation, ActivationFn::HSwish);
}

TEST(OnnxImportActivations, ErfGeluPatternIsOneActivation) {
  OnnxModel m;
  m.input("x", {N, 16, 32}).scalar("sqrt2", 1.41421356f).scalar("one", 1.0f).scalar("half", 0.5f);
  m.node("Div", {"x", "sqrt2"}, {"d"});
  m.node("Erf", {"d"}, {"e"});
  m.node("Add", {"e", "one"}, {"a"});
  m.node("Mul", {"x", "a"}, {"m"});
  m.node("Mul", {"m", "half"}, {"y"}, "gelu");
  m.output("y", {1, 16, 32});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(layer_op_name(w.layers[0]), "gelu");
  EXPECT_EQ(w.layers[0].input, (Shape{1, 16, 32}));
}

TEST(OnnxImportActivations, GeluOfOpset20IsImportedUncheckedWithANote) {
  OnnxModel m(20, 10);
  m.input("x", {N, 16, 32});
  m.node("Gelu", {"x"}, {"y"}, "gelu");
  m.output("y", {1, 16, 32});
  std::string notes;
  OnnxImportOptions options;
  options.on_note = [&](const std::string& s) { notes += s; };
  const Workload w = import(m, options);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(layer_op_name(w.layers[0]), "gelu");
  EXPECT_NE(notes.find("checker was skipped"), std::string::npos) << notes;
}

TEST(OnnxImportActivations, BatchNormFoldsIntoTheConvBeforeIt) {
  const OnnxModel m = conv_then([](OnnxModel& m) {
    for (const char* p : {"bn_s", "bn_b", "bn_m", "bn_v"}) m.weight(p, {4});
    m.node("BatchNormalization", {"c", "bn_s", "bn_b", "bn_m", "bn_v"}, {"b"}, "bn");
    m.node("Relu", {"b"}, {"y"}, "relu");
  });
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].name, "conv");
  EXPECT_TRUE(w.layers[0].bias);  // the folded shift
  EXPECT_EQ(w.layers[0].activation, ActivationFn::Relu);
  EXPECT_EQ(counts(w, "conv").params, 4 * 4 * 9 + 4);
}

TEST(OnnxImportActivations, BatchNormAloneIsAPerChannelMul) {
  OnnxModel m;
  m.input("x", {N, 4, 8, 8});
  for (const char* p : {"s", "b", "mu", "v"}) m.weight(p, {4});
  m.node("BatchNormalization", {"x", "s", "b", "mu", "v"}, {"y"}, "bn");
  m.output("y", {1, 4, 8, 8});
  const Workload w = import(m);
  ASSERT_EQ(w.layers.size(), 1u);
  EXPECT_EQ(w.layers[0].op, OpKind::Mul);
  EXPECT_EQ(w.layers[0].extra_inputs.at(0), (Shape{1, 1, 4}));
}

}  // namespace
}  // namespace h4h::test
