// Ethos-U55 compute model against Arm Vela 3.10's per-op NPU cycles (shared/reference/vela_u55_public.csv).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/core/workload.h"
#include "sim/core/hardware.h"
#include "sim/engines/npu_model.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

using Row = std::map<std::string, std::string>;

std::vector<Row> read_csv(const std::string& path) {
  std::ifstream in(path);
  std::vector<Row> rows;
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, ',')) {
      if (!cell.empty() && cell.back() == '\r') cell.pop_back();
      out.push_back(cell);
    }
    return out;
  };
  while (std::getline(in, line)) {
    if (line.empty() || line == "\r") continue;
    std::vector<std::string> cells = split(line);
    if (header.empty()) {
      header = cells;
      continue;
    }
    Row r;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) r[header[i]] = cells[i];
    rows.push_back(r);
  }
  return rows;
}

int64_t num(const Row& r, const std::string& key) { return std::stoll(r.at(key)); }

// The matching preset (hwconfigs/ethos-u55-N.yaml): Vela's default system for that configuration.
NpuSpec u55_spec(int macs) {
  return load_hardware(test::source_dir() + "/hwconfigs/ethos-u55-" + std::to_string(macs) + ".yaml").npu;
}

int macs_of(const std::string& accel) {  // "u55-128" -> 128
  return std::stoi(accel.substr(accel.find('-') + 1));
}

Layer layer_from_row(const Row& r) {
  Layer l;
  l.name = r.at("shape_id");
  const std::string op = r.at("op");
  l.input = Shape{num(r, "in_h"), num(r, "in_w"), num(r, "in_c")};
  l.kernel_h = int(num(r, "kernel_h"));
  l.kernel_w = int(num(r, "kernel_w"));
  l.stride_h = int(num(r, "stride_h"));
  l.stride_w = int(num(r, "stride_w"));
  l.padding = r.at("padding") == "valid" ? Padding::Valid : Padding::Same;
  l.activation = r.at("activation") == "relu" ? ActivationFn::Relu : ActivationFn::None;
  if (op == "conv2d") {
    l.op = OpKind::Conv2d;
    l.out_channels = num(r, "out_c");
  } else if (op == "depthwise_conv2d") {
    l.op = OpKind::DepthwiseConv2d;
    l.out_channels = num(r, "out_c");
  } else if (op == "linear") {
    l.op = OpKind::Linear;
    l.out_features = num(r, "out_c");
  } else if (op == "add" || op == "mul") {
    l.op = op == "add" ? OpKind::Add : OpKind::Mul;
    l.extra_inputs = {l.input};
  } else if (op == "avgpool") {
    l.op = OpKind::AvgPool;
  } else {
    ADD_FAILURE() << "unexpected op in the reference CSV: " << op;
  }
  return l;
}

struct KindStats {
  int rows = 0;
  double sum_ape = 0, max_ape = 0;
  double mape() const { return rows ? sum_ape / rows : 0; }
  void add(double ape) {
    ++rows;
    sum_ape += ape;
    max_ape = std::max(max_ape, ape);
  }
};

TEST(NpuEthosU55, MatchesVelaReference) {
  const std::string path = test::shared_dir() + "/reference/vela_u55_public.csv";
  const std::vector<Row> rows = read_csv(path);
  ASSERT_EQ(rows.size(), 147u) << path;

  std::map<std::string, KindStats> by_kind;                          // op/block type
  std::map<std::string, std::map<std::string, KindStats>> by_accel;  // accel -> kind
  struct Worst {
    double ape;
    std::string text;
  };
  std::vector<Worst> worst;
  int block_match = 0, ifm_block_match = 0, bytes_match = 0, weight_match = 0;

  for (const Row& r : rows) {
    Workload w;
    w.layers.push_back(layer_from_row(r));
    infer_shapes(w);
    const Layer& l = w.layers[0];
    const std::string id = r.at("shape_id") + " " + r.at("accel");
    EXPECT_EQ(l.output, (Shape{num(r, "out_h"), num(r, "out_w"), num(r, "out_c")})) << id;
    const LayerCounts counts = count_layer(l, w.precision);
    if (l.op == OpKind::AvgPool)
      EXPECT_EQ(counts.elementwise_ops, num(r, "macs")) << id;
    else
      EXPECT_EQ(counts.macs, num(r, "macs")) << id;

    const NpuComputeEstimate e = estimate_ethos_u55(l, w.precision, u55_spec(macs_of(r.at("accel"))));
    ASSERT_TRUE(e.supported) << id << ": " << e.reason;
    const double ref = double(num(r, "npu_cycles"));
    const double ape = std::fabs(double(e.compute_cycles) - ref) / ref * 100.0;
    const std::string kind = r.at("op") + "/" + r.at("npu_block_type");
    by_kind[kind].add(ape);
    by_accel[r.at("accel")][kind].add(ape);

    const bool ofm_ok = e.ofm_block.h == num(r, "ofm_block_h") && e.ofm_block.w == num(r, "ofm_block_w") &&
                        e.ofm_block.c == num(r, "ofm_block_c");
    const bool ifm_ok = e.ifm_block.h == num(r, "ifm_block_h") && e.ifm_block.w == num(r, "ifm_block_w") &&
                        e.ifm_block.c == num(r, "ifm_block_c");
    block_match += ofm_ok;
    ifm_block_match += ifm_ok;
    bytes_match += e.ifm_read_bytes == num(r, "ifm_read_bytes") && e.ofm_write_bytes == num(r, "ofm_write_bytes") &&
                   e.ifm2_read_bytes == num(r, "ifm2_read_bytes");
    weight_match += e.weight_read_bytes == num(r, "weight_read_bytes");
    char buf[400];
    std::snprintf(buf, sizeof buf,
                  "%-22s %-8s model %9lld vela %9.0f (%6.2f%%) ofm_block %lldx%lldx%lld (vela %sx%sx%s)%s",
                  r.at("shape_id").c_str(), r.at("accel").c_str(), (long long)e.compute_cycles, ref, ape,
                  (long long)e.ofm_block.h, (long long)e.ofm_block.w, (long long)e.ofm_block.c,
                  r.at("ofm_block_h").c_str(), r.at("ofm_block_w").c_str(), r.at("ofm_block_c").c_str(),
                  ofm_ok ? "" : " *");
    worst.push_back({ape, buf});
  }

  std::printf("\nEthos-U55 compute_cycles vs Vela 3.10 (%zu rows)\n", rows.size());
  std::printf("%-10s %-34s %5s %9s %9s\n", "accel", "op kind", "rows", "MAPE %", "max %");
  for (const auto& [accel, kinds] : by_accel)
    for (const auto& [kind, s] : kinds)
      std::printf("%-10s %-34s %5d %9.3f %9.3f\n", accel.c_str(), kind.c_str(), s.rows, s.mape(), s.max_ape);
  for (const auto& [kind, s] : by_kind)
    std::printf("%-10s %-34s %5d %9.3f %9.3f\n", "all", kind.c_str(), s.rows, s.mape(), s.max_ape);
  std::printf("OFM block equal to Vela's: %d/%zu; IFM block: %d/%zu; IFM/IFM2/OFM bytes: %d/%zu; weight bytes: %d/%zu\n",
              block_match, rows.size(), ifm_block_match, rows.size(), bytes_match, rows.size(), weight_match,
              rows.size());
  std::sort(worst.begin(), worst.end(), [](const Worst& a, const Worst& b) { return a.ape > b.ape; });
  std::printf("Worst rows:\n");
  for (size_t i = 0; i < worst.size() && i < 10; ++i) std::printf("  %s\n", worst[i].text.c_str());

  for (const auto& [kind, s] : by_kind) EXPECT_LE(s.mape(), 10.0) << kind;
  for (const auto& [accel, kinds] : by_accel)
    for (const auto& [kind, s] : kinds) EXPECT_LE(s.mape(), 10.0) << accel << " " << kind;
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
