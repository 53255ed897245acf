// The cycle-level simulator as a whole (lowering + clocked SoC): the Evaluator contract on small
// networks and on candidates that cannot run, determinism, and the effects only a clocked model
// with addresses has: bank conflicts when the NPU and the CIM share one bank, a weight stream from
// flash starving the NPU, activations that do not fit the SRAM, and MRAM weights kept stationary.
#include <gtest/gtest.h>

#include "models/zoo/zoo.h"
#include "sim/map/schemas.h"
#include "tests/sim/systemc/cycle_child.h"
#include "tests/support/evaluator_conformance.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;
using test::workload;

// Two branches that read the network input: a convolution on the NPU and a linear layer on the CIM
// run at the same time and both stream through the shared SRAM.
Workload two_branches() {
  return workload(R"({"name": "conv", "op": "conv2d", "input": [32, 32, 32], "out_channels": 32, "kernel": [1, 1], "inputs": []},
                    {"name": "fc", "op": "linear", "input": [1, 1024, 32], "out_features": 64, "inputs": []})");
}

Mapping npu_and_cim(const Workload& w) {
  Mapping m = mapping_all(w, Unit::Npu, "t");
  m.layers[1].npu_fraction = 0;
  return m;
}

TEST(CycleSystem, ConformsToTheEvaluatorContract) {
  for (const test::ConformanceCase& c : test::conformance_cases()) {
    // The zoo's full networks run in the benchmark and validation; here the small and failing ones.
    if (c.workload.layers.size() > 20 && c.failure.empty()) continue;
    const test::SimOutcome sim = test::simulate_cycle(c.workload, c.hw, c.mapping);
    EvalResult r;
    r.ok = sim.ok, r.reason = sim.reason, r.report = sim.report;
    test::expect_conforming(c, r, test::MacCount::Performed);
  }
  const Workload w = two_branches();
  const test::SimOutcome sim = test::simulate_cycle(w, preset("h4h-default"), npu_and_cim(w));
  ASSERT_TRUE(sim.ok) << sim.reason;
  test::expect_conforming_report(sim.report, w, preset("h4h-default"), "two branches", test::MacCount::Performed);
}

TEST(CycleSystem, SameInputsGiveIdenticalReports) {
  const Workload w = two_branches();
  const HardwareSpec hw = preset("h4h-default");
  const Mapping m = npu_and_cim(w);
  std::vector<std::string> runs;
  for (int i = 0; i < 2; ++i) {
    const ChildResult r = run_in_child([&] {
      CycleSimEvaluator sim;
      return test::outcome_to_json(sim.evaluate(w, hw, m), w, hw, m, nullptr);
    }, 60);
    ASSERT_TRUE(r.ok) << r.error;
    runs.push_back(r.output);
  }
  EXPECT_EQ(runs[0], runs[1]);
}

// One bank serves one port per cycle: NPU and CIM streaming together conflict on it, and the run
// takes longer than with four word-interleaved banks, where they rarely meet.
TEST(CycleSystem, OneSharedBankMakesTheUnitsConflict) {
  const Workload w = two_branches();
  const Mapping m = npu_and_cim(w);
  const test::SimOutcome one = test::simulate_cycle(w, preset("h4h-default", {{"sram.banks", "1"}}), m);
  const test::SimOutcome four = test::simulate_cycle(w, preset("h4h-default"), m);
  ASSERT_TRUE(one.ok && four.ok) << one.reason << four.reason;
  int64_t conflicts_one = 0, conflicts_four = 0;
  for (const LayerCost& c : one.report.layers) conflicts_one += c.stalls.bank_conflict;
  for (const LayerCost& c : four.report.layers) conflicts_four += c.stalls.bank_conflict;
  EXPECT_GT(conflicts_one, 0);
  EXPECT_LT(conflicts_four, conflicts_one);
  EXPECT_GT(one.report.total_cycles, four.report.total_cycles);
}

// Ethos-U55 weights stream from flash: at 1 byte/cycle the MAC unit starves (DMA stalls), at
// 8 bytes/cycle much less.
TEST(CycleSystem, AWeightStreamFromFlashStarvesTheNpu) {
  const Workload w = workload(R"({"name": "c", "op": "conv2d", "input": [8, 8, 64], "out_channels": 64, "kernel": [3, 3]})");
  const Mapping m = mapping_all(w, Unit::Npu, "t");
  const test::SimOutcome slow = test::simulate_cycle(w, preset("ethos-u55-256"), m);
  const test::SimOutcome fast = test::simulate_cycle(w, preset("ethos-u55-256", {{"external.bytes_per_cycle", "8"}}), m);
  ASSERT_TRUE(slow.ok && fast.ok) << slow.reason << fast.reason;
  const LayerCost& s = slow.report.layers[0];
  EXPECT_GT(s.stalls.dma, 0);
  EXPECT_GE(s.cycles, count_layer(w.layers[0], w.precision).weight_bytes) << "1 byte/cycle bounds the layer";
  EXPECT_LT(fast.report.total_cycles * 2, slow.report.total_cycles);
}

TEST(CycleSystem, ActivationsThatDoNotFitTheSramAreAFailureNamingTheTensor) {
  const Workload w = workload(R"({"name": "big", "op": "conv2d", "input": [64, 64, 64], "out_channels": 64, "kernel": [1, 1]})");
  const test::SimOutcome sim = test::simulate_cycle(w, preset("ethos-u55-256", {{"sram.size_kb", "64"}}),
                                                    mapping_all(w, Unit::Npu, "t"));
  EXPECT_FALSE(sim.ok);
  EXPECT_NE(sim.reason.find("shared SRAM"), std::string::npos) << sim.reason;
  EXPECT_NE(sim.reason.find("big."), std::string::npos) << sim.reason;
}

// cim.reprogram never (the default): weights that do not fit the MRAM cannot go to the CIM;
// per_inference writes them before the run and reports the bits written.
TEST(CycleSystem, MramWeightsAreStationaryUnlessReprogrammingIsAllowed) {
  const Workload w = workload(R"({"name": "fc", "op": "linear", "input": [1, 16, 1024], "out_features": 1024})");
  Mapping m = mapping_all(w, Unit::Cim, "t");
  const std::vector<Override> small = {{"cim.macros", "1"}, {"cim.subarrays_per_macro", "8"}};
  const test::SimOutcome never = test::simulate_cycle(w, preset("h4h-default", small), m);
  EXPECT_FALSE(never.ok);
  EXPECT_NE(never.reason.find("cim.reprogram is never"), std::string::npos) << never.reason;
  std::vector<Override> allowed = small;
  allowed.push_back({"cim.reprogram", "per_inference"});
  const test::SimOutcome streamed = test::simulate_cycle(w, preset("h4h-default", allowed), m);
  ASSERT_TRUE(streamed.ok) << streamed.reason;
  EXPECT_GT(streamed.report.actions.mram_write_bits, 0);
  EXPECT_GT(streamed.report.layers[0].stalls.weight_programming, 0);
}

}  // namespace
}  // namespace h4h
