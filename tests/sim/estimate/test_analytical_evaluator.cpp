// The analytical estimator beyond the Evaluator contract (test_evaluator_conformance.cpp): bytes,
// NPU/CIM overlap, splits, CIM residency and reprogramming, memoisation and static energy.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "models/zoo/zoo.h"
#include "sim/core/cim_geometry.h"
#include "sim/core/workload_json.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/estimate/unit_cost.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;

CostReport evaluate_ok(const Workload& w, const HardwareSpec& hw, const Mapping& m) {
  AnalyticalEvaluator evaluator;
  EvalResult r = evaluator.evaluate(w, hw, m);
  EXPECT_TRUE(r.ok) << r.reason;
  return r.report;
}

TEST(AnalyticalEvaluator, BytesFollowFromLayerShapes) {
  // On the systolic engine and the CIM every operand moves once: SRAM reads are the activation
  // inputs, SRAM writes the outputs; NPU weights and biases come from external memory.
  const HardwareSpec hw = preset("h4h-default", {{"npu.engine", "systolic"}});
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    for (const Mapping& m : {resolve_mapping("npu-only", w, hw), resolve_mapping("rule", w, hw)}) {
      SCOPED_TRACE(name + " / " + m.schema);
      const CostReport r = evaluate_ok(w, hw, m);
      int64_t in = 0, out = 0, npu_weights = 0;
      for (size_t i = 0; i < w.layers.size(); ++i) {
        LayerCounts c = count_layer(w.layers[i], w.precision);
        in += c.input_bytes;
        out += c.output_bytes;
        if (m.layers[i].on_npu()) npu_weights += c.weight_bytes + c.bias_bytes;
      }
      EXPECT_EQ(r.actions.sram_read_bytes, in);
      EXPECT_EQ(r.actions.sram_write_bytes, out);
      EXPECT_EQ(r.actions.external_read_bytes, npu_weights);  // CIM layers resident here
      EXPECT_EQ(r.actions.mram_write_bits, 0);
    }
  }
}

TEST(AnalyticalEvaluator, EthosOutputBytesFollowFromShapes) {
  const HardwareSpec hw = preset("ethos-u55-256");
  const Workload w = build_zoo_model("mobilenet_v2");
  const CostReport r = evaluate_ok(w, hw, resolve_mapping("npu-only", w, hw));
  int64_t out = 0, weights = 0;
  for (const Layer& l : w.layers) {
    if (l.op == OpKind::Reshape) continue;  // free on the NPU
    out += count_layer(l, w.precision).output_bytes;
    weights += count_layer(l, w.precision).weight_bytes;
  }
  EXPECT_EQ(r.actions.sram_write_bytes, out);
  EXPECT_GE(r.actions.external_read_bytes, weights);  // weights re-read per OFM block, plus scale/bias
}

Workload parse(const std::string& layers) {
  return parse_workload(R"({"version": 1, "name": "t", "layers": [)" + layers + "]}", "test");
}

TEST(AnalyticalEvaluator, IndependentLayersOnDifferentUnitsOverlap) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = parse(R"({"name": "a", "op": "conv2d", "input": [28, 28, 32], "out_channels": 32, "kernel": 3},
                              {"name": "b", "op": "linear", "tokens": 196, "in_features": 64, "out_features": 64, "inputs": []},
                              {"name": "c", "op": "add", "input": [14, 14, 64], "inputs": ["a", "b"]})");
  Mapping m = mapping_all(w, Unit::Npu, "t");
  m.layers[1].npu_fraction = 0;  // b on the CIM
  const CostReport r = evaluate_ok(w, hw, m);
  EXPECT_EQ(r.layers[0].start_cycle, 0);
  EXPECT_EQ(r.layers[1].start_cycle, 0);  // runs beside a
  EXPECT_EQ(r.layers[2].start_cycle, std::max(r.layers[0].end_cycle, r.layers[1].end_cycle));
  EXPECT_LT(r.total_cycles, r.layers[0].cycles + r.layers[1].cycles + r.layers[2].cycles);

  // The same layers all on the NPU run back to back.
  const CostReport serial = evaluate_ok(w, hw, mapping_all(w, Unit::Npu, "npu-only"));
  EXPECT_EQ(serial.layers[1].start_cycle, serial.layers[0].end_cycle);
}

TEST(AnalyticalEvaluator, SplitLayerRunsBothPartsAndEndsWithTheSlower) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = parse(R"({"name": "fc", "op": "linear", "tokens": 196, "in_features": 192, "out_features": 576})");
  Mapping m = mapping_all(w, Unit::Npu, "t");
  m.layers[0].npu_fraction = 0.25;
  const CostReport r = evaluate_ok(w, hw, m);
  const LayerCost& c = r.layers[0];
  EXPECT_GT(c.npu_cycles, 0);
  EXPECT_GT(c.cim_cycles, 0);
  EXPECT_EQ(c.cycles, std::max(c.npu_cycles, c.cim_cycles));
  EXPECT_EQ(c.actions.npu_macs, 196 * 192 * 144);
  EXPECT_EQ(c.actions.cim_macs, 196 * 192 * 432);
  EXPECT_EQ(c.macs, 196 * 192 * 576);
}

TEST(AnalyticalEvaluator, CimTimingFollowsTilingBitSerialPassesAndComputeUnits) {
  // 256 inputs x 64 outputs on 128 x 256-bit sub-arrays: 2 row tiles x 2 column tiles = 4 tiles on
  // 4 macros, one wave; 8 bit-serial cycles per input vector. Compute units: 10 positions x 2 row
  // tiles x 64 outputs = 1280 partial sums over 2 units x 8 per cycle = 80 cycles.
  const HardwareSpec hw = preset("h4h-default");
  ASSERT_EQ(hw.cim.rows, 128);
  ASSERT_EQ(hw.cim.cols, 256);
  ASSERT_EQ(hw.cim.macros, 4);
  const Workload w = parse(R"({"name": "fc", "op": "linear", "tokens": 10, "in_features": 256, "out_features": 64})");
  const CimTiling t = cim_tiling(w.layers[0], hw.cim);
  EXPECT_EQ(t.tiles, 4);
  const UnitCost c = cim_layer_cost(w.layers[0], w.precision, hw, true);
  EXPECT_EQ(c.compute_cycles, 10 * 8 + hw.cim.pipeline_latency_cycles);
  // One compute unit halves the post-processing rate: it becomes the bottleneck (160 > 80).
  const HardwareSpec one_cu = preset("h4h-default", {{"cim.compute_units", "1"}});
  EXPECT_EQ(cim_layer_cost(w.layers[0], w.precision, one_cu, true).compute_cycles, 160 + hw.cim.pipeline_latency_cycles);
  // One macro runs the four tiles one after another.
  const HardwareSpec one_macro = preset("h4h-default", {{"cim.macros", "1"}});
  EXPECT_EQ(cim_layer_cost(w.layers[0], w.precision, one_macro, true).compute_cycles, 320 + hw.cim.pipeline_latency_cycles);
}

TEST(AnalyticalEvaluator, ACimLayerWithOneInputVectorRunsItsStagesInSequence) {
  // A squeeze-excite 1x1 conv on a 1x1x96 map, 24 outputs: one input vector, so nothing overlaps.
  // Its 96 bytes cross the CIM's 8 B/cycle SRAM port (12 cycles) and arrive 32 cycles later; the
  // macros take 8 bit-serial passes + 5 cycles of pipeline fill; the compute units then take
  // 24 / 16 = 2 cycles while the 24 output bytes are written (3 cycles): 12 + 32 + 13 + 3 = 60.
  // (The former max(compute, transfer) + latency overlapped the read with the compute: 47.)
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = parse(R"({"name": "se", "op": "conv2d", "input": [1, 1, 96], "out_channels": 24, "kernel": [1, 1]})");
  const UnitCost c = cim_layer_cost(w.layers[0], w.precision, hw, true);
  EXPECT_EQ(c.compute_cycles, 8 + 5);
  EXPECT_EQ(c.cycles, 12 + 32 + 13 + 3);
}

TEST(AnalyticalEvaluator, WeightsThatDoNotFitAreReprogrammedEveryRun) {
  // One 128 x 256-bit sub-array per macro: 4 x 4 KiB of weights. A 256 x 256 linear (64 KiB) does not fit.
  const HardwareSpec small = preset("h4h-default", {{"cim.subarrays_per_macro", "1"}, {"cim.reprogram", "per_inference"}});
  const Workload w = parse(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 256, "out_features": 256})");
  Mapping m = mapping_all(w, Unit::Cim, "cim");
  const CostReport r = evaluate_ok(w, small, m);
  const CimTiling t = cim_tiling(w.layers[0], small.cim);
  EXPECT_EQ(r.actions.mram_write_bits, t.tiles * t.rows_used * small.cim.cols);
  EXPECT_EQ(r.actions.mram_read_bits, r.actions.mram_write_bits);  // verify
  EXPECT_EQ(r.actions.external_read_bytes, 256 * 256 + 256 * 4);
  EXPECT_GT(r.layers[0].stalls.weight_programming, 0);
  EXPECT_GT(r.energy.mram_write_pj, 0);
  // With room for it, the weights stay resident and cost nothing per run.
  const CostReport resident = evaluate_ok(w, preset("h4h-default"), m);
  EXPECT_EQ(resident.actions.mram_write_bits, 0);
  EXPECT_EQ(resident.layers[0].stalls.weight_programming, 0);
  EXPECT_LT(resident.total_cycles, r.total_cycles);
}

// Little's law for a DMA channel: n bursts of B bytes in flight, each holding its slot for latency +
// B / rate cycles, sustain at most n x B / (latency + B / rate) bytes per cycle.
TEST(AnalyticalEvaluator, ADmaStreamIsBoundedByItsBurstsInFlight) {
  HardwareSpec hw = preset("ethos-u55-256");  // flash: 1 byte/cycle, 64 cycles, 128-byte bursts
  hw.external.max_outstanding = 1;
  EXPECT_DOUBLE_EQ(dma_bytes_per_cycle(hw, 8), 128.0 / (64 + 128));
  hw.external.max_outstanding = 2;  // 256 / 192 > 1: two bursts already cover the latency
  EXPECT_DOUBLE_EQ(dma_bytes_per_cycle(hw, 8), 1.0) << "enough in flight: the bus rate";
  hw.external.bytes_per_cycle = 4;
  EXPECT_DOUBLE_EQ(dma_bytes_per_cycle(hw, 8), 256.0 / (64 + 32)) << "a faster bus needs more in flight";
  EXPECT_DOUBLE_EQ(dma_bytes_per_cycle(hw, 0.5), 0.5) << "the port is narrower than the bus";
}

TEST(AnalyticalEvaluator, MemoryBoundLayerCrossesOverExactlyAtTheBandwidthLimit) {
  // A fully connected layer streams its weights and scale/bias from external memory. Compute-bound,
  // it takes its compute plus the lead (the first burst's latency and transfer); memory-bound, its
  // transfer plus a constant overhead (latency, and the pipeline's drain after the last burst).
  HardwareSpec hw = preset("ethos-u55-256");
  // Enough bursts in flight that the DMA queue (dma_bytes_per_cycle) never bounds the stream here:
  // this test is about the bandwidth itself.
  hw.external.max_outstanding = 1024;
  const Workload w = parse(R"({"name": "fc", "op": "linear", "tokens": 1, "in_features": 1024, "out_features": 1000})");
  const Layer& l = w.layers[0];
  auto with_transfer = [&](double transfer_cycles) {  // external bandwidth giving ceil(bytes / bw) transfer cycles
    hw.external.bytes_per_cycle = hw.npu.external_bytes_per_cycle = double(npu_layer_cost(l, w.precision, hw).actions.external_read_bytes) / transfer_cycles;
    return npu_layer_cost(l, w.precision, hw);
  };
  hw.external.bytes_per_cycle = hw.npu.external_bytes_per_cycle = 1e6;  // effectively free
  const UnitCost free_memory = npu_layer_cost(l, w.precision, hw);
  const int64_t compute = free_memory.compute_cycles;
  const double bytes = double(free_memory.actions.external_read_bytes);
  ASSERT_GT(compute, 1);
  // The lead at a transfer of k cycles: latency + the first 128-byte burst at bytes / k per cycle.
  auto lead = [&](double k) { return hw.external.latency_cycles + int64_t(std::ceil(128 * k / bytes)); };
  EXPECT_EQ(free_memory.cycles, compute + lead(bytes / 1e6));
  // Memory-bound: one more transfer cycle, one more cycle.
  const int64_t overhead = with_transfer(4 * compute - 0.5).cycles - 4 * compute;
  EXPECT_EQ(with_transfer(4 * compute + 9.5).cycles - (4 * compute + 10), overhead);
  EXPECT_GE(overhead, hw.external.latency_cycles);
  // The limit: the longest transfer with transfer + overhead <= compute + lead. There the layer
  // is still compute-bound; one cycle more of transfer and it is memory-bound.
  int64_t limit = compute;
  while (limit + overhead > compute + lead(double(limit) - 0.5)) --limit;
  while (limit + 1 + overhead <= compute + lead(double(limit) + 0.5)) ++limit;
  EXPECT_EQ(with_transfer(double(limit) - 0.5).cycles, compute + lead(double(limit) - 0.5));
  const UnitCost above = with_transfer(double(limit) + 0.5);
  EXPECT_EQ(above.cycles, limit + 1 + overhead);
  EXPECT_GT(above.cycles, compute + lead(double(limit) + 0.5));
}

TEST(AnalyticalEvaluator, MemoisedAndFreshEvaluationsAgree) {
  AnalyticalEvaluator memo(true), fresh(false);
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    for (const HardwareSpec& hw : {preset("h4h-default"), preset("h4h-default", {{"cim.macros", "8"}}),
                                   preset("h4h-default", {{"npu.engine", "systolic"}})}) {
      const Mapping m = resolve_mapping("rule", w, hw);
      for (int repeat = 0; repeat < 2; ++repeat) {
        const EvalResult a = memo.evaluate(w, hw, m), b = fresh.evaluate(w, hw, m);
        ASSERT_TRUE(a.ok && b.ok);
        EXPECT_EQ(a.report.total_cycles, b.report.total_cycles) << name;
        EXPECT_DOUBLE_EQ(a.report.energy_pj(), b.report.energy_pj()) << name;
      }
    }
  }
}

// Per-layer energy = actions x table is part of the conformance suite; here: static power's units.
TEST(AnalyticalEvaluator, StaticEnergyIsPowerOverTheRunAndEveryComponentIsUsed) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("mobilenet_v2");
  const CostReport r = evaluate_ok(w, hw, resolve_mapping("rule", w, hw));
  EXPECT_NEAR(static_energy_pj(hw, 500000000), hw.static_power.total_mw() * 1e9, 1e-3);  // 1 s at 500 MHz
  EXPECT_NEAR(r.energy_pj(), r.energy.total_pj() + static_energy_pj(hw, r.total_cycles), 1e-9 * r.energy_pj());
  EXPECT_GT(r.energy.mac_pj, 0);
  EXPECT_GT(r.energy.sram_pj, 0);
  EXPECT_GT(r.energy.external_pj, 0);
}

TEST(AnalyticalEvaluator, MoreCimMacrosNeverSlowTheRuleMappingDown) {
  const Workload w = build_zoo_model("nasvit_a0");
  int64_t previous = INT64_MAX;
  for (const char* macros : {"1", "2", "4", "8", "16"}) {
    const HardwareSpec hw = preset("h4h-default", {{"cim.macros", macros}});
    const CostReport r = evaluate_ok(w, hw, rule_mapping(w, hw));
    EXPECT_LE(r.total_cycles, previous) << macros << " macros";
    previous = r.total_cycles;
  }
}

}  // namespace
}  // namespace h4h
