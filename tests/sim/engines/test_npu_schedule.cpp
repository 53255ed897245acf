// NPU block schedules (npu_model.h): replaying the blocks through a two-stage pipeline gives the
// engine's compute cycles exactly (and the reference tool's cycles on every Vela and SCALE-Sim row),
// and the bytes spread over the blocks add up to the engine's byte counts: on every reference row
// and every zoo layer.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/zoo/zoo.h"
#include "sim/engines/npu_engine_registry.h"
#include "tests/support/reference_layers.h"

namespace h4h {
namespace {

// Block by block, independently of NpuOpSchedule::command_cycles' closed forms. `buffers`: blocks
// the MAC stage may finish ahead of the output stage (accumulator buffers; 0 = unbounded).
int64_t replay(const NpuOpSchedule& op, int64_t buffers) {
  int64_t total = 0;
  for (int64_t r = 0; r < op.repeats; ++r) {
    std::vector<int64_t> out_start(size_t(op.blocks), 0);
    int64_t mac_end = 0, out_end = 0;
    for (int64_t i = 0; i < op.blocks; ++i) {
      int64_t mac_start = mac_end;
      if (buffers > 0 && i >= buffers) mac_start = std::max(mac_start, out_start[size_t(i - buffers)]);
      mac_end = mac_start + op.mac.at(i);
      out_start[size_t(i)] = std::max(out_end, mac_end);
      out_end = out_start[size_t(i)] + op.out.at(i);
    }
    total += out_end;
  }
  return total;
}

// Checks one layer; returns false (with a failure) when the schedule disagrees with the estimate.
void expect_schedule_matches(const Layer& l, const Precision& p, const NpuSpec& npu, const std::string& what) {
  const NpuComputeEstimate e = npu_engine(npu).estimate(l, p, npu);
  const NpuSchedule s = npu_engine(npu).lower(l, p, npu);
  ASSERT_EQ(s.supported, e.supported) << what;
  if (!e.supported) return;
  int64_t cycles = 0, single_buffer = 0, ifm = 0, ifm2 = 0, ofm = 0, weights = 0, scale_bias = 0;
  for (const NpuOpSchedule& op : s.ops) {
    ASSERT_GT(op.blocks, 0) << what;
    EXPECT_EQ(replay(op, 0), op.compute_cycles()) << what;
    cycles += replay(op, 0);
    single_buffer += replay(op, 1);
    ifm += op.ifm_bytes, ifm2 += op.ifm2_bytes, ofm += op.ofm_bytes;
    weights += op.weight_bytes, scale_bias += op.scale_bias_bytes;
    // Spreading bytes over the blocks with share() is exact.
    int64_t spread = 0;
    const int64_t n = op.blocks * op.repeats;
    for (int64_t i = 0; i < n; ++i) spread += share(op.weight_bytes, n, i);
    EXPECT_EQ(spread, op.weight_bytes) << what;
  }
  EXPECT_EQ(cycles, e.compute_cycles) << what;
  EXPECT_EQ(s.compute_cycles(), e.compute_cycles) << what;
  EXPECT_EQ(single_buffer, e.compute_cycles) << what << " (one accumulator buffer)";
  EXPECT_EQ(ifm, e.ifm_read_bytes) << what;
  EXPECT_EQ(ifm2, e.ifm2_read_bytes) << what;
  EXPECT_EQ(ofm, e.ofm_write_bytes) << what;
  EXPECT_EQ(weights, e.weight_read_bytes) << what;
  EXPECT_EQ(scale_bias, e.scale_bias_bytes) << what;
}

NpuSpec u55(int macs) { return test::u55_npu(macs); }

// Vela's cycles are the schedule's cycles: replaying the blocks gives Vela's per-op npu_cycles.
TEST(NpuSchedule, ReplaysVelaReferenceRowsExactly) {
  const auto rows = test::vela_rows();
  ASSERT_EQ(rows.size(), 147u);
  for (const auto& r : rows) {
    const Layer l = test::vela_layer(r);
    const NpuSpec npu = u55(test::vela_macs_per_cycle(r));
    const std::string what = l.name + " " + r.str("accel");
    expect_schedule_matches(l, Precision{}, npu, what);
    EXPECT_EQ(npu_engine(npu).lower(l, Precision{}, npu).compute_cycles(), r.num("npu_cycles")) << what;
  }
}

TEST(NpuSchedule, ReplaysScaleSimReferenceRowsExactly) {
  const auto rows = test::scalesim_rows();
  ASSERT_GT(rows.size(), 10u);
  for (const auto& row : rows) {
    const Layer l = test::scalesim_layer(row);
    const NpuSpec npu = test::scalesim_npu(row);
    const std::string what = l.name + " " + row.str("dataflow");
    expect_schedule_matches(l, Precision{}, npu, what);
    EXPECT_EQ(npu_engine(npu).lower(l, Precision{}, npu).compute_cycles(), row.num("scalesim_cycles")) << what;
  }
}

TEST(NpuSchedule, ReplaysEveryZooLayerOnEveryEngine) {
  std::vector<NpuSpec> specs;
  for (int macs : {32, 64, 128, 256}) specs.push_back(u55(macs));
  NpuSpec fractional = u55(256);
  fractional.softmax_passes = 2.5;  // a pass count that is not a whole number of commands
  fractional.layernorm_passes = 0;
  specs.push_back(fractional);
  for (Dataflow df : {Dataflow::OutputStationary, Dataflow::WeightStationary, Dataflow::InputStationary}) {
    NpuSpec s;
    s.engine = "systolic";
    s.array_rows = 8, s.array_cols = 16;
    s.dataflow = df;
    specs.push_back(s);
  }
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    for (size_t k = 0; k < specs.size(); ++k) {
      for (int bits : {8, 16}) {
        if (bits == 16 && k != 0) continue;
        Precision p = w.precision;
        p.activation_bits = bits;
        for (const Layer& l : w.layers) expect_schedule_matches(l, p, specs[k], name + "/" + l.name + " spec " + std::to_string(k));
      }
    }
  }
}

TEST(NpuSchedule, TwoStageOpKeepsVelasPipelineTotal) {
  // max(mac, out) x blocks + min(mac, out), truncated as Vela does, with fractional stage cycles.
  for (double mac : {0.0, 10.0, 123.25, 400.5}) {
    for (double out : {0.0, 10.0, 64.75, 400.5}) {
      for (int64_t blocks : {1, 2, 7, 50}) {
        const double exact = std::max(mac, out) * double(blocks) + std::min(mac, out);
        const int64_t total = static_cast<int64_t>(exact);
        const NpuOpSchedule op = two_stage_op(blocks, mac, out, total);
        EXPECT_EQ(replay(op, 0), total) << mac << " " << out << " " << blocks;
        EXPECT_EQ(replay(op, 1), total) << mac << " " << out << " " << blocks;
        EXPECT_EQ(op.command_cycles(), total);
      }
    }
  }
}

}  // namespace
}  // namespace h4h
