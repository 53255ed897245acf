// The systolic engine against SCALE-Sim v2's cycle counts (tests/data/reference/scalesim_public.csv):
// compute_cycles must equal them exactly, for every layer, array size and dataflow.
#include <gtest/gtest.h>

#include "sim/engines/npu_engine_registry.h"
#include "sim/engines/systolic/systolic.h"
#include "tests/support/reference_layers.h"

namespace h4h {
namespace {

TEST(SystolicEngine, MatchesScaleSimExactly) {
  const auto rows = test::scalesim_rows();
  ASSERT_GT(rows.size(), 10u);
  for (const auto& row : rows) {
    const Layer l = test::scalesim_layer(row);
    const NpuSpec npu = test::scalesim_npu(row);
    const NpuComputeEstimate e = npu_engine(npu).estimate(l, Precision{}, npu);
    EXPECT_EQ(e.compute_cycles, row.num("scalesim_cycles"))
        << row.str("case_id") << " on " << npu.array_rows << "x" << npu.array_cols << " " << row.str("dataflow");
  }
}

TEST(SystolicEngine, AlexNetConv1WeightStationaryExample) {
  // docs/hardware-sources.md: AlexNet conv1 (11x11 stride 4, 96 filters) on 32x32 WS = 112,283 cycles. SCALE-Sim
  // rounds 224 px up to a 55x55 output; the same 55x55 output comes from a 227 px input unpadded.
  Workload w;
  Layer l;
  l.name = "conv1";
  l.input = Shape{227, 227, 3};
  l.out_channels = 96;
  l.kernel_h = l.kernel_w = 11;
  l.stride_h = l.stride_w = 4;
  l.padding = Padding::Valid;
  w.layers.push_back(l);
  infer_shapes(w);
  NpuSpec npu;
  npu.engine = "systolic";
  npu.array_rows = npu.array_cols = 32;
  npu.dataflow = Dataflow::WeightStationary;
  EXPECT_EQ(estimate_systolic(w.layers[0], w.precision, npu).compute_cycles, 112283);
}

TEST(SystolicEngine, GroupedConvolutionCostsOneFoldSequencePerGroup) {
  Workload w;
  Layer l;
  l.name = "g";
  l.input = Shape{8, 8, 16};
  l.out_channels = 16;
  l.kernel_h = l.kernel_w = 1;
  l.groups = 4;
  w.layers.push_back(l);
  infer_shapes(w);
  NpuSpec npu;
  npu.engine = "systolic";
  npu.array_rows = npu.array_cols = 4;
  npu.dataflow = Dataflow::OutputStationary;
  // Per group: Sr = 64 pixels, Sc = 4 filters, T = 4: folds 16 x 1, per fold 4 + 4 + 4 - 2 = 10.
  EXPECT_EQ(estimate_systolic(w.layers[0], w.precision, npu).compute_cycles, 4 * 16 * 10 - 1);
}

}  // namespace
}  // namespace h4h
