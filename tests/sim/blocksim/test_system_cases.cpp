// Whole-system cases with hand-derived answers: a lone GEMM on the NPU, a layer that does not fit
// the CIM (programming cost once per reload), NPU and CIM layers in parallel (makespan is the
// max), contention on one SRAM bank, splits, dependencies and failures.
#include <gtest/gtest.h>

#include "sim/core/workload_json.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_child.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;
using test::workload;

Mapping mapping(const Workload& w, const std::vector<double>& npu_fractions) {
  Mapping m = mapping_all(w, Unit::Npu, "test");
  for (size_t i = 0; i < npu_fractions.size(); ++i) m.layers[i].npu_fraction = npu_fractions[i];
  return m;
}

test::SimOutcome simulate_ok(const Workload& w, const HardwareSpec& hw, const Mapping& m, bool trace = false) {
  test::SimOutcome o = test::simulate(w, hw, m, trace);
  EXPECT_TRUE(o.ok) << o.reason;
  return o;
}

TEST(SystemCases, LoneGemmOnTheSystolicNpu) {
  // 16 tokens x 16 -> 16 on a 16x16 weight-stationary array: one fold of 2*16 + 16 + 16 - 2 = 62
  // cycles, minus SCALE-Sim's final 1: 61 compute cycles.
  // Memory (h4h-default): the IFM (256 B) streams from SRAM at 8 B/cycle, its first 32-byte burst
  // arriving at 4 + 32 = 36; weights + biases (256 + 64 B) come from flash at 1 B/cycle in 128-byte
  // bursts, all in flight at once: they arrive at 128 + 64 = 192, 256 + 64 = 320 and 320 + 64 = 384
  // (a 64-byte last burst). The MAC stage starts with the first weight burst (192) and ends at
  // max(192 + 61, 384 + ceil(61 * 64 / 320) = 397) = 397. The 256-byte OFM then goes to SRAM at
  // 8 B/cycle (posted): the layer ends at 397 + 32 = 429.
  const HardwareSpec hw = preset("h4h-default", {{"npu.engine", "systolic"}});
  const Workload w = workload(R"({"name": "gemm", "op": "linear", "tokens": 16, "in_features": 16, "out_features": 16, "inputs": []})");
  const test::SimOutcome o = simulate_ok(w, hw, mapping(w, {1}));
  ASSERT_TRUE(o.ok);
  const LayerCost& l = o.report.layers[0];
  EXPECT_EQ(l.compute_cycles, 61);
  EXPECT_EQ(l.start_cycle, 0);
  EXPECT_EQ(l.end_cycle, 429);
  EXPECT_EQ(l.stalls.memory, 429 - 61);
  EXPECT_EQ(l.stalls.bank_conflict, 0);
  EXPECT_EQ(l.actions.npu_macs, 16 * 16 * 16);
  EXPECT_EQ(l.actions.sram_read_bytes, 256);
  EXPECT_EQ(l.actions.sram_write_bytes, 256);
  EXPECT_EQ(l.actions.external_read_bytes, 256 + 64);
  EXPECT_EQ(o.report.total_cycles, 429);
}

// A CIM of 2 macros x `subarrays` sub-arrays of 16 rows x 64 columns (8 int8 weights per row), with
// an external memory fast enough that fetching weights takes one cycle.
HardwareSpec small_cim(int subarrays, const std::string& external_bytes_per_cycle = "4096") {
  return preset("h4h-default", {{"cim.macros", "2"},
                                {"cim.subarrays_per_macro", std::to_string(subarrays)},
                                {"cim.rows", "16"},
                                {"cim.cols", "64"},
                                {"external.bytes_per_cycle", external_bytes_per_cycle},
                                {"external.latency_cycles", "0"},
                                {"external.burst_bytes", "4096"},
                                {"cim.reprogram", "per_inference"}});
}

TEST(SystemCases, ALayerThatDoesNotFitTheCimIsProgrammedOncePerReload) {
  // linear 32 -> 24 over 4 tokens: 2 row tiles x 3 column tiles = 6 sub-array tiles of 16 rows.
  // Writing a tile: 16 rows x 10 cycles = 160 cycles; macros write in parallel.
  const Workload w = workload(
      R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 32, "out_features": 24, "inputs": []},
         {"name": "fc2", "op": "linear", "tokens": 4, "in_features": 32, "out_features": 24, "inputs": []})");
  const Mapping m = mapping(w, {0, 0});
  // At the limit: 2 x 3 sub-arrays hold the first layer's 6 tiles when it is pinned resident,
  // never programmed; the second finds no free sub-array.
  Mapping pinned = m;
  pinned.layers[0].weights = CimWeights::Resident;
  test::SimOutcome fits = test::simulate(w, small_cim(3), pinned);
  EXPECT_FALSE(fits.ok);
  EXPECT_NE(fits.reason.find("fc2"), std::string::npos) << fits.reason;
  // With weights left to the residency plan, it keeps one sub-array per macro free for streaming:
  // neither layer stays resident (4 sub-arrays left for 6 tiles); each streams in one round, the
  // busiest macro writing 3 tiles: 1 + 3 x 160 cycles.
  const test::SimOutcome planned = simulate_ok(w, small_cim(3), m);
  ASSERT_TRUE(planned.ok);
  for (const LayerCost& l : planned.report.layers) EXPECT_EQ(l.stalls.weight_programming, 1 + 3 * 160);
  const Workload one = workload(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 32, "out_features": 24, "inputs": []})");
  fits = simulate_ok(one, small_cim(3), mapping(one, {0}));
  ASSERT_TRUE(fits.ok);
  EXPECT_EQ(fits.report.layers[0].stalls.weight_programming, 0);
  EXPECT_EQ(fits.report.layers[0].actions.mram_write_bits, 0);

  // One sub-array less per macro (4 free): each layer is reloaded in ceil(6 / 4) = 2 rounds of 3
  // tiles (the busiest macro writes 2: 1 + 2 x 160 = 321 cycles each), and re-reads its 128-byte
  // input per round. Weights + biases (768 + 96 B) are fetched once in all; each tile writes 16 x 64 bits
  // (and reads them back to verify).
  const test::SimOutcome o = simulate_ok(w, small_cim(2), m);
  ASSERT_TRUE(o.ok);
  for (const LayerCost& l : o.report.layers) {
    EXPECT_EQ(l.stalls.weight_programming, 321 + 321);
    EXPECT_EQ(l.actions.external_read_bytes, 768 + 96);
    EXPECT_EQ(l.actions.mram_write_bits, 6 * 16 * 64);
    EXPECT_EQ(l.actions.mram_read_bits, 6 * 16 * 64);
    EXPECT_EQ(l.actions.sram_read_bytes, 2 * 128);
    EXPECT_EQ(l.actions.sram_write_bytes, 4 * 24);
    EXPECT_EQ(l.actions.cim_macs, 4 * 32 * 24);
  }
  // The second layer waits for the CIM, then pays its own programming again.
  EXPECT_EQ(o.report.layers[1].start_cycle, o.report.layers[0].end_cycle);
  EXPECT_EQ(o.report.layers[1].cycles, o.report.layers[0].cycles);
}

TEST(SystemCases, ProgrammingAtOneBytePerCycleIsFetchBound) {
  // The same 6 tiles with 144 bytes each from a 1 byte/cycle memory: tile t arrives at 144 (t + 1);
  // macro t mod 2 writes it (160 cycles) once it is in; the last ends at 6 x 144 + 160 = 1024.
  // (The estimator's model, tests/sim/estimate/test_streaming_and_ops.cpp, gives the same.)
  const Workload w = workload(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 32, "out_features": 24, "inputs": []})");
  Mapping m = mapping(w, {0});
  m.layers[0].weights = CimWeights::Streamed;
  const test::SimOutcome o = simulate_ok(w, small_cim(3, "1"), m);
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.layers[0].stalls.weight_programming, 1024);
}

TEST(SystemCases, ALayersOpsRunInSequence) {
  // linear 64 x 128 -> 128 with swish on U55-256 (tests/sim/estimate/test_streaming_and_ops.cpp
  // derives the schedule): the convolution streams 17664 bytes of weights from 1 byte/cycle flash,
  // its last block drains 30 + 4096 cycles after the last burst: 17664 + 64 + 4126 = 21854. The
  // swish LUT pass then takes its 3072 cycles: its first inputs were fetched during the convolution.
  const Workload w = workload(
      R"({"name": "fc1", "op": "linear", "tokens": 64, "in_features": 128, "out_features": 128, "activation": "swish"})");
  const test::SimOutcome o = simulate_ok(w, preset("h4h-default"), mapping(w, {1}));
  ASSERT_TRUE(o.ok);
  EXPECT_EQ(o.report.layers[0].cycles, 21854 + 3072);
}

TEST(SystemCases, IndependentNpuAndCimLayersRunInParallel) {
  // No shared bottleneck: the NPU's and the CIM's SRAM ports (8 + 8 B/cycle) fit the 4 banks
  // (32 B/cycle) and only the NPU reads flash (the CIM layer's weights are resident).
  const HardwareSpec hw = preset("h4h-default");
  const std::string conv = R"({"name": "conv", "op": "conv2d", "input": [16, 16, 16], "out_channels": 16, "kernel": [3, 3], "inputs": []})";
  const std::string fc = R"({"name": "fc", "op": "linear", "tokens": 64, "in_features": 64, "out_features": 64, "inputs": []})";
  const Workload both = workload(conv + "," + fc), npu_only = workload(conv), cim_only = workload(fc);
  const test::SimOutcome a = simulate_ok(npu_only, hw, mapping(npu_only, {1}));
  const test::SimOutcome b = simulate_ok(cim_only, hw, mapping(cim_only, {0}));
  const test::SimOutcome ab = simulate_ok(both, hw, mapping(both, {1, 0}));
  ASSERT_TRUE(a.ok && b.ok && ab.ok);
  EXPECT_EQ(ab.report.layers[0].start_cycle, 0);
  EXPECT_EQ(ab.report.layers[1].start_cycle, 0);
  EXPECT_EQ(ab.report.layers[0].cycles, a.report.total_cycles);
  EXPECT_EQ(ab.report.layers[1].cycles, b.report.total_cycles);
  EXPECT_EQ(ab.report.total_cycles, std::max(a.report.total_cycles, b.report.total_cycles));
  EXPECT_LT(ab.report.total_cycles, a.report.total_cycles + b.report.total_cycles);
  EXPECT_EQ(ab.report.layers[0].stalls.bank_conflict + ab.report.layers[1].stalls.bank_conflict, 0);
}

TEST(SystemCases, NpuAndCimOnOneSramBankStallEachOther) {
  // Elementwise-heavy NPU work and a CIM layer on one 8-byte/cycle bank: both ports want 8.
  const std::string add = R"({"name": "add", "op": "add", "input": [32, 32, 64], "inputs": []})";
  const std::string fc = R"({"name": "fc", "op": "linear", "tokens": 256, "in_features": 64, "out_features": 64, "inputs": []})";
  const Workload w = workload(add + "," + fc);
  const Mapping m = mapping(w, {1, 0});
  const test::SimOutcome wide = simulate_ok(w, preset("h4h-default", {{"sram.banks", "2"}}), m);   // 16 B/cycle
  const test::SimOutcome narrow = simulate_ok(w, preset("h4h-default", {{"sram.banks", "1"}}), m);  // 8 B/cycle
  ASSERT_TRUE(wide.ok && narrow.ok);
  EXPECT_EQ(wide.report.layers[0].stalls.bank_conflict + wide.report.layers[1].stalls.bank_conflict, 0);
  EXPECT_GT(narrow.report.layers[0].stalls.bank_conflict + narrow.report.layers[1].stalls.bank_conflict, 0);
  // The NPU's add is compute-bound (it needs about 4 of its 8 B/cycle on average) but books its
  // bursts first; the SRAM-bound CIM layer gets what is left and takes longer.
  EXPECT_GT(narrow.report.layers[1].cycles, wide.report.layers[1].cycles);
  EXPECT_GE(narrow.report.total_cycles, wide.report.total_cycles);
  // Same work, same bytes: contention changes time, not action counts.
  EXPECT_EQ(narrow.report.actions.sram_read_bytes, wide.report.actions.sram_read_bytes);
}

TEST(SystemCases, SplitLayerSynchronisesAtItsEndAndConsumersWait) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = workload(
      R"({"name": "fc", "op": "linear", "tokens": 64, "in_features": 64, "out_features": 128, "inputs": []},
         {"name": "act", "op": "relu", "input": [1, 64, 128]})");
  const test::SimOutcome o = simulate_ok(w, hw, mapping(w, {0.5, 1}));
  ASSERT_TRUE(o.ok);
  const LayerCost& fc = o.report.layers[0];
  EXPECT_EQ(fc.start_cycle, 0);
  EXPECT_GT(fc.npu_cycles, 0);
  EXPECT_GT(fc.cim_cycles, 0);
  EXPECT_EQ(fc.end_cycle, std::max(fc.npu_cycles, fc.cim_cycles));  // both parts start at 0
  EXPECT_EQ(fc.actions.npu_macs + fc.actions.cim_macs, 64 * 64 * 128);
  const LayerCost& act = o.report.layers[1];
  EXPECT_EQ(act.start_cycle, fc.end_cycle);
  EXPECT_EQ(act.stalls.dependency, fc.end_cycle - fc.npu_cycles);  // the NPU idled for the CIM part
}

// Failures as values: the conformance suite's failing cases (test_agreement.cpp).

TEST(SystemCases, SimulatesOncePerProcess) {
  const Workload w = workload(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 8, "out_features": 8, "inputs": []})");
  const HardwareSpec hw = preset("h4h-default");
  const ChildResult r = run_in_child([&] {
    BlockSimEvaluator first, second;
    const EvalResult a = first.evaluate(w, hw, mapping(w, {1}));
    const EvalResult b = second.evaluate(w, hw, mapping(w, {1}));
    return std::string(a.ok ? "ok" : "failed") + "|" + (b.ok ? "ok" : "failed:" + b.reason);
  }, 60);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output.substr(0, 10), "ok|failed:");
  EXPECT_NE(r.output.find("child process"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace h4h
