// The simulator against the workload and the analytical estimator on every zoo model: MACs and
// bytes per memory are conserved layer by layer, latency agrees within 0.5% and energy within 0.1%
// (npu-only and rule mappings on h4h-default, npu-only on ethos-u55-256); the same inputs give
// identical reports; traces hold spans per unit and DMA channel and bank counters.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "models/zoo/zoo.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "tests/sim/systemc/sim_child.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;

void expect_same_actions(const ActionCounts& sim, const ActionCounts& est, const std::string& what) {
  EXPECT_EQ(sim.npu_macs, est.npu_macs) << what;
  EXPECT_EQ(sim.cim_macs, est.cim_macs) << what;
  EXPECT_EQ(sim.npu_elementwise_ops, est.npu_elementwise_ops) << what;
  EXPECT_EQ(sim.cim_cu_ops, est.cim_cu_ops) << what;
  EXPECT_EQ(sim.sram_read_bytes, est.sram_read_bytes) << what;
  EXPECT_EQ(sim.sram_write_bytes, est.sram_write_bytes) << what;
  EXPECT_EQ(sim.external_read_bytes, est.external_read_bytes) << what;
  EXPECT_EQ(sim.external_write_bytes, est.external_write_bytes) << what;
  EXPECT_EQ(sim.mram_read_bits, est.mram_read_bits) << what;
  EXPECT_EQ(sim.mram_write_bits, est.mram_write_bits) << what;
}

TEST(Agreement, ConservesCountsAndAgreesWithTheEstimatorOnEveryZooModel) {
  struct Case {
    std::string hw, mapping;
  };
  const std::vector<Case> cases = {{"h4h-default", "npu-only"}, {"h4h-default", "rule"}, {"ethos-u55-256", "npu-only"}};
  std::printf("\n%-20s %-14s %-9s %12s %12s %8s %9s\n", "model", "hw", "mapping", "est cycles", "sim cycles", "lat %",
              "energy %");
  double worst_latency = 0, worst_energy = 0;
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    for (const Case& c : cases) {
      const HardwareSpec hw = preset(c.hw);
      const Mapping m = resolve_mapping(c.mapping, w, hw);
      const std::string what = name + " / " + c.hw + " / " + c.mapping;
      AnalyticalEvaluator estimator;
      const EvalResult est = estimator.evaluate(w, hw, m);
      ASSERT_TRUE(est.ok) << what << ": " << est.reason;
      const test::SimOutcome sim = test::simulate(w, hw, m);
      ASSERT_TRUE(sim.ok) << what << ": " << sim.reason;
      ASSERT_EQ(sim.report.layers.size(), w.layers.size()) << what;

      EXPECT_EQ(sim.report.macs(), count_workload(w).macs) << what;
      for (size_t i = 0; i < w.layers.size(); ++i)
        expect_same_actions(sim.report.layers[i].actions, est.report.layers[i].actions, what + " / " + w.layers[i].name);
      for (const LayerCost& l : sim.report.layers)
        for (int p : w.layers[size_t(l.layer)].inputs) EXPECT_LE(sim.report.layers[size_t(p)].end_cycle, l.start_cycle);

      const double latency = 100.0 * double(sim.report.total_cycles - est.report.total_cycles) / double(est.report.total_cycles);
      const double energy = 100.0 * (sim.report.energy_pj() - est.report.energy_pj()) / est.report.energy_pj();
      std::printf("%-20s %-14s %-9s %12lld %12lld %+8.2f %+9.2f\n", name.c_str(), c.hw.c_str(), c.mapping.c_str(),
                  (long long)est.report.total_cycles, (long long)sim.report.total_cycles, latency, energy);
      EXPECT_LE(std::fabs(latency), 0.5) << what;
      EXPECT_LE(std::fabs(energy), 0.1) << what;
      worst_latency = std::max(worst_latency, std::fabs(latency));
      worst_energy = std::max(worst_energy, std::fabs(energy));
    }
  }
  std::printf("worst |latency error| %.2f%%, worst |energy error| %.2f%%\n", worst_latency, worst_energy);
}

// Wall time is a benchmark figure (`h4h bench --simulate`), not asserted here.
TEST(Agreement, SameInputsGiveIdenticalReports) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("nasvit_a0");
  const Mapping m = resolve_mapping("rule", w, hw);
  std::vector<std::string> runs;
  for (int i = 0; i < 2; ++i) {
    const ChildResult r = run_in_child([&] {
      SystemCEvaluator sim;
      return test::outcome_to_json(sim.evaluate(w, hw, m), nullptr);
    }, 60);
    ASSERT_TRUE(r.ok) << r.error;
    runs.push_back(r.output);
  }
  EXPECT_TRUE(test::outcome_from_json(runs[0]).ok);
  EXPECT_EQ(runs[0], runs[1]);
}

TEST(Agreement, TracesHoldUnitsDmaChannelsAndBankCounters) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("mobilenet_v2");
  const test::SimOutcome o = test::simulate(w, hw, resolve_mapping("rule", w, hw), true);
  ASSERT_TRUE(o.ok) << o.reason;
  std::map<std::string, int> tracks;
  for (const TraceSpan& s : o.spans) ++tracks[s.track];
  for (const char* track : {"npu", "cim", "npu.datapath", "cim.datapath", "dma.npu"}) EXPECT_GT(tracks[track], 0) << track;
  EXPECT_GT(o.counters, 0u);
  // Layer spans are the report's timeline.
  int layer_spans = 0;
  for (const TraceSpan& s : o.spans) {
    if (s.category != "layer") continue;
    ++layer_spans;
    const LayerCost& l = o.report.layers[size_t(w.find(s.name))];
    EXPECT_GE(s.start_cycle, l.start_cycle) << s.name;
    EXPECT_LE(s.end_cycle, l.end_cycle) << s.name;
  }
  EXPECT_EQ(layer_spans, int(w.layers.size()));  // rule splits no layer
}

}  // namespace
}  // namespace h4h
