// Ethos-U55 compute model against Arm Vela 3.10's per-op NPU cycles, block shapes and byte counts
// (tests/data/reference/vela_u55_public.csv), and its behaviour off the table.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sim/core/workload.h"
#include "sim/core/hardware.h"
#include "sim/engines/ethos_u55/ethos_u55.h"
#include "tests/support/reference_layers.h"

namespace h4h {
namespace {

using Row = test::CsvRow;

NpuSpec u55_spec(int macs) { return test::u55_npu(macs); }

// Every row of Vela's table, exactly: npu_cycles, the OFM and IFM block shapes Vela chose, and the
// IFM, IFM2, OFM and weight byte counts (the README's claim for this table).
TEST(NpuEthosU55, MatchesVelaReference) {
  const std::vector<Row> rows = test::vela_rows();
  ASSERT_EQ(rows.size(), 147u);
  int exact = 0;
  for (const Row& r : rows) {
    const Layer l = test::vela_layer(r);
    const Precision precision;
    const std::string id = r.str("shape_id") + " " + r.str("accel");
    EXPECT_EQ(l.output, (Shape{r.num("out_h"), r.num("out_w"), r.num("out_c")})) << id;
    const LayerCounts counts = count_layer(l, precision);
    EXPECT_EQ(l.op == OpKind::AvgPool ? counts.elementwise_ops : counts.macs, r.num("macs")) << id;

    const NpuComputeEstimate e = estimate_ethos_u55(l, precision, u55_spec(test::vela_macs_per_cycle(r)));
    ASSERT_TRUE(e.supported) << id << ": " << e.reason;
    const BlockShape vela_ofm{r.num("ofm_block_h"), r.num("ofm_block_w"), r.num("ofm_block_c")};
    const BlockShape vela_ifm{r.num("ifm_block_h"), r.num("ifm_block_w"), r.num("ifm_block_c")};
    auto same = [](const BlockShape& a, const BlockShape& b) { return a.h == b.h && a.w == b.w && a.c == b.c; };
    EXPECT_EQ(e.compute_cycles, r.num("npu_cycles")) << id;
    EXPECT_TRUE(same(e.ofm_block, vela_ofm)) << id << ": OFM block " << e.ofm_block.h << "x" << e.ofm_block.w << "x"
                                             << e.ofm_block.c;
    EXPECT_TRUE(same(e.ifm_block, vela_ifm)) << id << ": IFM block " << e.ifm_block.h << "x" << e.ifm_block.w << "x"
                                             << e.ifm_block.c;
    EXPECT_EQ(e.ifm_read_bytes, r.num("ifm_read_bytes")) << id;
    EXPECT_EQ(e.ifm2_read_bytes, r.num("ifm2_read_bytes")) << id;
    EXPECT_EQ(e.ofm_write_bytes, r.num("ofm_write_bytes")) << id;
    EXPECT_EQ(e.weight_read_bytes, r.num("weight_read_bytes")) << id;
    exact += e.compute_cycles == r.num("npu_cycles") && same(e.ofm_block, vela_ofm) && same(e.ifm_block, vela_ifm) &&
             e.ifm_read_bytes == r.num("ifm_read_bytes") && e.ifm2_read_bytes == r.num("ifm2_read_bytes") &&
             e.ofm_write_bytes == r.num("ofm_write_bytes") && e.weight_read_bytes == r.num("weight_read_bytes");
  }
  std::printf("Vela 3.10 rows equal in cycles, block shapes and bytes: %d of %zu\n", exact, rows.size());
}

Layer conv(int64_t h, int64_t w, int64_t c, int64_t oc, int k, int stride = 1) {
  Layer l;
  l.name = "conv";
  l.op = OpKind::Conv2d;
  l.input = Shape{h, w, c};
  l.out_channels = oc;
  l.kernel_h = l.kernel_w = k;
  l.stride_h = l.stride_w = stride;
  return l;
}

Layer inferred(Layer l) {
  Workload w;
  w.layers.push_back(std::move(l));
  infer_shapes(w);
  return w.layers[0];
}

// int16 IFMs: 16-deep IFM blocks (conv), doubled depthwise/pooling MAC cycles, 40-bit accumulators.
// The block search may then pick another block (40-bit accumulators take more SHRAM), so the ratio
// is about, not exactly, 2.
TEST(NpuEthosU55, Int16ActivationsRunAtHalfRate) {
  Layer dw = conv(56, 56, 64, 64, 3);
  dw.op = OpKind::DepthwiseConv2d;
  Precision p8, p16;
  p16.activation_bits = 16;
  for (const Layer& raw : {conv(56, 56, 64, 64, 3), dw}) {
    const Layer l = inferred(raw);
    for (int macs : {32, 64, 128, 256}) {
      const NpuComputeEstimate e8 = estimate_ethos_u55(l, p8, u55_spec(macs));
      const NpuComputeEstimate e16 = estimate_ethos_u55(l, p16, u55_spec(macs));
      ASSERT_TRUE(e8.supported && e16.supported);
      const double ratio = double(e16.compute_cycles) / double(e8.compute_cycles);
      EXPECT_GT(ratio, 1.8) << op_name(l.op) << " u55-" << macs;
      EXPECT_LT(ratio, 2.3) << op_name(l.op) << " u55-" << macs;
      EXPECT_EQ(e16.ofm_write_bytes, 2 * e8.ofm_write_bytes);
    }
  }
}

TEST(NpuEthosU55, MoreMacsAreFaster) {
  const Layer l = inferred(conv(56, 56, 64, 64, 3));
  int64_t prev = 0;
  for (int macs : {256, 128, 64, 32}) {
    const NpuComputeEstimate e = estimate_ethos_u55(l, Precision{}, u55_spec(macs));
    ASSERT_TRUE(e.supported) << e.reason;
    EXPECT_GT(e.compute_cycles, prev) << macs;
    EXPECT_GE(e.compute_cycles, std::max(e.mac_cycles, e.output_cycles));
    EXPECT_GT(e.scale_bias_bytes, 0);
    EXPECT_EQ(e.scale_bias_bytes, 10 * 64);
    prev = e.compute_cycles;
  }
}

TEST(NpuEthosU55, UnsupportedAndDegenerateCasesDoNotCrash) {
  const Layer l = inferred(conv(8, 8, 16, 16, 3));
  NpuSpec odd = u55_spec(256);
  odd.macs_per_cycle = 100;
  NpuComputeEstimate e = estimate_ethos_u55(l, Precision{}, odd);
  EXPECT_FALSE(e.supported);
  EXPECT_FALSE(e.reason.empty());

  Precision p4;
  p4.activation_bits = 4;
  e = estimate_ethos_u55(l, p4, u55_spec(256));
  EXPECT_FALSE(e.supported);

  Layer empty = l;
  empty.input.c = 0;
  empty.output.c = 0;
  e = estimate_ethos_u55(empty, Precision{}, u55_spec(256));
  EXPECT_FALSE(e.supported);
  EXPECT_EQ(e.compute_cycles, 0);

  Layer bad_kernel = l;
  bad_kernel.kernel_h = 0;
  e = estimate_ethos_u55(bad_kernel, Precision{}, u55_spec(64));
  EXPECT_FALSE(e.supported);

  // A tiny SHRAM still finds a block or reports why; it never throws.
  NpuSpec tiny = u55_spec(64);
  tiny.shram_kb = 4;
  EXPECT_NO_THROW(estimate_ethos_u55(inferred(conv(56, 56, 512, 512, 7)), Precision{}, tiny));
}

TEST(NpuEthosU55, EveryOpKindIsCosted) {
  std::vector<Layer> layers;
  layers.push_back(conv(16, 16, 32, 64, 3));
  Layer grouped = conv(16, 16, 32, 64, 3);
  grouped.groups = 4;
  layers.push_back(grouped);
  Layer big_kernel = conv(32, 32, 8, 16, 11, 4);  // sub-kernel split (> 8x8)
  layers.push_back(big_kernel);
  Layer dw = conv(16, 16, 32, 32, 3);
  dw.op = OpKind::DepthwiseConv2d;
  layers.push_back(dw);
  Layer lin;
  lin.op = OpKind::Linear;
  lin.input = Shape{1, 49, 96};
  lin.out_features = 384;
  lin.activation = ActivationFn::Gelu;
  layers.push_back(lin);
  Layer fc = lin;
  fc.input = Shape{1, 1, 256};
  fc.activation = ActivationFn::None;
  layers.push_back(fc);
  Layer mm;
  mm.op = OpKind::Matmul;
  mm.batch = 4;
  mm.m = 49;
  mm.k = 32;
  mm.n = 49;
  layers.push_back(mm);
  for (OpKind op : {OpKind::Add, OpKind::Mul, OpKind::Softmax, OpKind::LayerNorm, OpKind::GlobalAvgPool,
                    OpKind::Transpose, OpKind::Reshape}) {
    Layer x;
    x.op = op;
    x.input = Shape{1, 49, 96};
    x.reshape_to = Shape{7, 7, 96};
    x.perm[0] = 0, x.perm[1] = 2, x.perm[2] = 1;
    layers.push_back(x);
  }
  for (ActivationFn fn : {ActivationFn::Relu, ActivationFn::Relu6, ActivationFn::Sigmoid, ActivationFn::Gelu,
                          ActivationFn::HSwish, ActivationFn::HSigmoid, ActivationFn::Swish}) {
    Layer a;
    a.op = OpKind::Activation;
    a.activation = fn;
    a.input = Shape{14, 14, 64};
    layers.push_back(a);
  }
  Layer mp;
  mp.op = OpKind::MaxPool;
  mp.input = Shape{28, 28, 32};
  mp.kernel_h = mp.kernel_w = 3;
  mp.stride_h = mp.stride_w = 2;
  layers.push_back(mp);
  Layer cat;
  cat.op = OpKind::Concat;
  cat.input = Shape{7, 7, 32};
  cat.extra_inputs = {Shape{7, 7, 64}};
  layers.push_back(cat);

  for (Layer& raw : layers) {
    const Layer l = inferred(raw);
    for (int macs : {32, 64, 128, 256}) {
      for (int bits : {8, 16}) {
        Precision p;
        p.activation_bits = bits;
        const NpuComputeEstimate e = estimate_ethos_u55(l, p, u55_spec(macs));
        ASSERT_TRUE(e.supported) << layer_op_name(l) << ": " << e.reason;
        if (l.op == OpKind::Reshape) {
          EXPECT_EQ(e.compute_cycles, 0);
        } else {
          EXPECT_GT(e.compute_cycles, 0) << layer_op_name(l) << " u55-" << macs << " int" << bits;
          EXPECT_GT(e.ofm_write_bytes, 0) << layer_op_name(l);
        }
      }
    }
  }

  // A matmul costs its batch of 1x1 convolutions; its streamed operand is an activation read.
  const Layer m = inferred(mm);
  Layer one = m;
  one.batch = 1;
  one = inferred(one);
  const NpuComputeEstimate e4 = estimate_ethos_u55(m, Precision{}, u55_spec(128));
  const NpuComputeEstimate e1 = estimate_ethos_u55(one, Precision{}, u55_spec(128));
  EXPECT_EQ(e4.compute_cycles, 4 * e1.compute_cycles);
  EXPECT_EQ(e4.weight_read_bytes, 0);
  EXPECT_GT(e4.ifm2_read_bytes, 0);

  // softmax scales with its pass count.
  Layer sm;
  sm.op = OpKind::Softmax;
  sm.input = Shape{1, 49, 49};
  sm = inferred(sm);
  NpuSpec npu = u55_spec(256);
  const int64_t six = estimate_ethos_u55(sm, Precision{}, npu).compute_cycles;
  npu.softmax_passes = 3;
  EXPECT_NEAR(double(estimate_ethos_u55(sm, Precision{}, npu).compute_cycles), six / 2.0, 1.0);
}

}  // namespace
}  // namespace h4h
