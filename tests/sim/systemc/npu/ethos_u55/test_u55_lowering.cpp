// Every op the ethos-u55 engine supports lowers to U55 commands that run to completion; MAC and
// element counts match the layer's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/systemc/npu/ethos_u55/u55_standalone.h"
#include "tests/sim/systemc/npu/ethos_u55/test_u55_support.h"

namespace h4h {
namespace {

Layer make(OpKind op, Shape in, ActivationFn act = ActivationFn::None) {
  Layer l;
  l.name = op_name(op);
  l.op = op;
  l.input = in;
  l.activation = act;
  return l;
}

cyc::U55Counters run_all(const Layer& l, int macs, size_t* commands) {
  const U55Lowering low = lower_ethos_u55(l, Precision{}, test::u55_npu(macs), u55test::addresses());
  EXPECT_TRUE(low.supported) << l.name << ": " << low.reason;
  *commands = low.commands.size();
  cyc::U55Counters sum;
  for (const cyc::U55Command& c : low.commands) {
    const cyc::U55Counters k = cyc::run_u55_standalone(c);
    EXPECT_GT(k.cycles(), 0) << l.name;
    sum.actions += k.actions;
    sum.ofm_write_bytes += k.ofm_write_bytes;
  }
  return sum;
}

TEST(U55Lowering, EveryEngineOpRuns) {
  std::vector<Layer> layers;
  Layer grouped = u55test::conv(8, 8, 32, 64, 3);
  grouped.groups = 4;
  layers.push_back(test::shape_inferred(grouped));
  Layer dw = make(OpKind::DepthwiseConv2d, Shape{9, 9, 16}, ActivationFn::Relu6);
  dw.out_channels = 32;  // depth multiplier 2
  dw.kernel_h = dw.kernel_w = 3;
  dw.stride_h = dw.stride_w = 2;
  layers.push_back(test::shape_inferred(dw));
  Layer fc = make(OpKind::Linear, Shape{1, 12, 40}, ActivationFn::Swish);  // token grid + swish tail
  fc.out_features = 24;
  layers.push_back(test::shape_inferred(fc));
  Layer mm = make(OpKind::Matmul, Shape{});
  mm.batch = 2, mm.m = 6, mm.k = 20, mm.n = 10;
  layers.push_back(test::shape_inferred(mm));
  Layer add = make(OpKind::Add, Shape{4, 6, 8});
  add.extra_inputs = {Shape{1, 1, 8}};  // broadcast
  layers.push_back(test::shape_inferred(add));
  Layer mul = make(OpKind::Mul, Shape{4, 6, 8});
  mul.extra_inputs = {Shape{1, 1, 1}};  // scalar
  layers.push_back(test::shape_inferred(mul));
  Layer mp = make(OpKind::MaxPool, Shape{10, 10, 24});
  mp.kernel_h = mp.kernel_w = 2, mp.stride_h = mp.stride_w = 2;
  layers.push_back(test::shape_inferred(mp));
  layers.push_back(test::shape_inferred(make(OpKind::GlobalAvgPool, Shape{5, 5, 40})));
  layers.push_back(test::shape_inferred(make(OpKind::Softmax, Shape{1, 16, 32})));
  layers.push_back(test::shape_inferred(make(OpKind::LayerNorm, Shape{1, 16, 32})));
  layers.push_back(test::shape_inferred(make(OpKind::Activation, Shape{4, 4, 16}, ActivationFn::Sigmoid)));
  layers.push_back(test::shape_inferred(make(OpKind::Activation, Shape{4, 4, 16}, ActivationFn::Relu)));
  Layer tr = make(OpKind::Transpose, Shape{3, 5, 7});
  tr.perm[0] = 2, tr.perm[1] = 0, tr.perm[2] = 1;
  layers.push_back(test::shape_inferred(tr));
  Layer cat = make(OpKind::Concat, Shape{4, 4, 8});
  cat.extra_inputs = {Shape{4, 4, 16}};
  layers.push_back(test::shape_inferred(cat));
  Layer rs = make(OpKind::Reshape, Shape{4, 4, 8});
  rs.reshape_to = Shape{1, 16, 8};
  layers.push_back(test::shape_inferred(rs));

  for (int macs : {32, 64, 128, 256}) {
    for (const Layer& l : layers) {
      size_t n = 0;
      const cyc::U55Counters k = run_all(l, macs, &n);
      const LayerCounts counts = count_layer(l, Precision{});
      const std::string id = l.name + " u55-" + std::to_string(macs);
      if (l.op == OpKind::Reshape) {
        EXPECT_EQ(n, 0u) << id;
        continue;
      }
      EXPECT_GE(n, 1u) << id;
      if (is_mac_op(l.op)) {
        EXPECT_EQ(k.actions.npu_macs, counts.macs) << id;
      }
      if (l.op == OpKind::Add || l.op == OpKind::Mul || l.op == OpKind::MaxPool || l.op == OpKind::GlobalAvgPool) {
        EXPECT_EQ(k.actions.npu_elementwise_ops, counts.elementwise_ops) << id;
      }
      // Every output byte is written (at least once: multi-pass ops rewrite it).
      EXPECT_GE(k.ofm_write_bytes, l.output.elements()) << id;
    }
  }
}

TEST(U55Lowering, RejectsWhatTheEngineRejects) {
  NpuSpec odd = test::u55_npu(256);
  odd.macs_per_cycle = 100;
  EXPECT_FALSE(lower_ethos_u55(u55test::conv(8, 8, 8, 8, 3), Precision{}, odd, u55test::addresses()).supported);
  Precision p4;
  p4.activation_bits = 4;
  EXPECT_FALSE(lower_ethos_u55(u55test::conv(8, 8, 8, 8, 3), p4, test::u55_npu(256), u55test::addresses()).supported);
}

}  // namespace
}  // namespace h4h
