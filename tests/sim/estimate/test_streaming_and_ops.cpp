// The estimator's CIM weight streaming (rounds into the sub-arrays resident weights leave free,
// programming time fetch- or write-bound, the residency plan's reserve) and the NPU's per-op
// memory model (a layer's ops in sequence, each with its transfer, latency and drain). The same
// cases run in the simulator in tests/sim/blocksim/test_system_cases.cpp.
#include <gtest/gtest.h>

#include "sim/core/cim_geometry.h"
#include "sim/core/workload_json.h"
#include "sim/engines/npu_engine_registry.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/estimate/unit_cost.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;
using test::workload;

// Two macros of `subarrays` 16-row x 64-bit sub-arrays; external memory at `bytes_per_cycle`.
HardwareSpec small_cim(int subarrays, const std::string& bytes_per_cycle = "4096") {
  return preset("h4h-default", {{"cim.macros", "2"},
                                {"cim.subarrays_per_macro", std::to_string(subarrays)},
                                {"cim.rows", "16"},
                                {"cim.cols", "64"},
                                {"external.bytes_per_cycle", bytes_per_cycle},
                                {"external.latency_cycles", "0"},
                                {"external.burst_bytes", "4096"},
                                {"cim.reprogram", "per_inference"}});
}

// linear 32 -> 24 over 4 tokens: 2 row tiles x 3 column tiles = 6 tiles of 16 rows; weights +
// biases 768 + 96 bytes; a tile is written in 16 rows x 10 cycles = 160 cycles.
const char* kFc = R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 32, "out_features": 24, "inputs": []})";
const char* kFc2 = R"({"name": "fc2", "op": "linear", "tokens": 4, "in_features": 32, "out_features": 24, "inputs": []})";

TEST(CimStreaming, RoundsFollowTheFreeSubarrays) {
  EXPECT_EQ(cim_stream_rounds(6, 4), 2);
  EXPECT_EQ(cim_stream_rounds(6, 6), 1);
  EXPECT_EQ(cim_stream_rounds(6, 100), 1);
  EXPECT_EQ(cim_stream_rounds(7, 2), 4);
  EXPECT_EQ(cim_stream_rounds(6, 0), 0);
}

TEST(CimStreaming, AStreamedLayerIsProgrammedInRoundsThatReReadItsInputs) {
  const Workload w = workload(std::string(kFc) + "," + kFc2);
  const HardwareSpec hw = small_cim(2);  // 4 sub-arrays: neither 6-tile layer fits
  Mapping m = mapping_all(w, Unit::Cim, "test");
  AnalyticalEvaluator evaluator;
  const EvalResult r = evaluator.evaluate(w, hw, m);
  ASSERT_TRUE(r.ok) << r.reason;
  for (const LayerCost& l : r.report.layers) {
    // Two rounds of 3 tiles; the busiest macro writes 2: 1 (fetch) + 2 x 160 cycles per round.
    EXPECT_EQ(l.stalls.weight_programming, 2 * (1 + 2 * 160));
    EXPECT_EQ(l.actions.external_read_bytes, 768 + 96);
    EXPECT_EQ(l.actions.mram_write_bits, 6 * 16 * 64);
    EXPECT_EQ(l.actions.sram_read_bytes, 2 * 128);  // inputs re-read per round
    EXPECT_EQ(l.actions.sram_write_bytes, 4 * 24);
  }
  EXPECT_EQ(r.report.layers[1].start_cycle, r.report.layers[0].end_cycle);
}

TEST(CimStreaming, NoFreeSubarrayIsAFailureAndTheResidencyPlanKeepsOnePerMacro) {
  const Workload w = workload(std::string(kFc) + "," + kFc2);
  const HardwareSpec hw = small_cim(3);  // 6 sub-arrays: exactly one layer
  Mapping pinned = mapping_all(w, Unit::Cim, "test");
  pinned.layers[0].weights = CimWeights::Resident;
  AnalyticalEvaluator evaluator;
  const EvalResult fails = evaluator.evaluate(w, hw, pinned);
  EXPECT_FALSE(fails.ok);
  EXPECT_NE(fails.reason.find("'fc2'"), std::string::npos) << fails.reason;
  EXPECT_NE(fails.reason.find("no MRAM sub-array is left free"), std::string::npos) << fails.reason;
  // Left to the plan, the first layer would take every sub-array: Auto layers leave one per macro
  // instead, neither stays resident, and each streams in one round (busiest macro: 3 tiles).
  const Mapping automatic = mapping_all(w, Unit::Cim, "test");
  const std::vector<bool> resident = plan_cim_residency(w, automatic, hw.cim);
  EXPECT_FALSE(resident[0]);
  EXPECT_FALSE(resident[1]);
  const EvalResult r = evaluator.evaluate(w, hw, automatic);
  ASSERT_TRUE(r.ok) << r.reason;
  for (const LayerCost& l : r.report.layers) {
    EXPECT_EQ(l.stalls.weight_programming, 1 + 3 * 160);
    EXPECT_EQ(l.actions.sram_read_bytes, 128);
  }
  // A single layer fits and stays resident.
  const Workload one = workload(kFc);
  EXPECT_TRUE(plan_cim_residency(one, mapping_all(one, Unit::Cim, "t"), hw.cim)[0]);
}

TEST(CimStreaming, ProgrammingIsFetchBoundOrWriteBound) {
  const Workload w = workload(kFc);
  // At 1 byte/cycle each tile's 144 bytes arrive 144 cycles apart; macro t mod 2 writes tile t
  // (160 cycles) once its bytes are in: 304, 448, 592, 736, 880 and the last tile ends at
  // 6 x 144 + 160 = 1024: fetch-bound.
  const UnitCost slow = cim_layer_cost(w.layers[0], w.precision, small_cim(3, "1"), false);
  EXPECT_EQ(slow.programming_cycles, 1024);
  // With the weights in after one cycle, the macros' writes bound it: 1 + 3 x 160.
  const UnitCost fast = cim_layer_cost(w.layers[0], w.precision, small_cim(3), false);
  EXPECT_EQ(fast.programming_cycles, 1 + 3 * 160);
  // Resident weights cost nothing to program.
  EXPECT_EQ(cim_layer_cost(w.layers[0], w.precision, small_cim(3), true).programming_cycles, 0);
}

TEST(NpuOps, ALayersOpsRunInSequenceEachWithItsTransferLatencyAndDrain) {
  // linear 64 tokens x 128 -> 128 with swish on U55-256: a convolution op (2 blocks of 2048 MAC +
  // 4096 output cycles, 16384 + 1280 bytes of weights and scale/bias from 1 byte/cycle flash) and
  // then the LUT pass for swish (2 blocks of 1536 output cycles, 3 x 8192 bytes through SRAM).
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = workload(
      R"({"name": "fc1", "op": "linear", "tokens": 64, "in_features": 128, "out_features": 128, "activation": "swish"})");
  const NpuSchedule s = npu_engine(hw.npu).lower(w.layers[0], w.precision, hw.npu);
  ASSERT_EQ(s.ops.size(), 2u);
  ASSERT_EQ(s.ops[0].blocks, 2);
  ASSERT_EQ(s.ops[0].mac.at(1), 2048);
  ASSERT_EQ(s.ops[0].out.at(1), 4096);
  ASSERT_EQ(s.ops[0].weight_bytes + s.ops[0].scale_bias_bytes, 17664);
  ASSERT_EQ(s.ops[1].out.at(1), 1536);
  ASSERT_EQ(s.ops[1].ifm_bytes + s.ops[1].ifm2_bytes, 16384);
  // Op 1, flash-bound: 17664 transfer + 64 latency + drain after the last 128-byte burst of the
  // last block (8832 bytes): ceil(2048 x 128 / 8832) = 30 MAC cycles and the block's 4096 output
  // cycles = 21854. Op 2 (SRAM 3 x 8192 bytes at 8 bytes/cycle = 3072 = its compute, no latency:
  // fetched during op 1): 3072 + ceil(1536 x 32 / 8192) = 3078 after its last 32-byte granule.
  const UnitCost c = npu_layer_cost(w.layers[0], w.precision, hw);
  EXPECT_EQ(c.cycles, 21854 + 3078);
  EXPECT_EQ(c.compute_cycles, s.compute_cycles());
  // The weights stream during op 1 up to its drain; op 2 and the drain need no flash.
  EXPECT_EQ(c.external_window_cycles, 17664);
  EXPECT_EQ(c.after_external_cycles, c.cycles - 17664);
}

}  // namespace
}  // namespace h4h
