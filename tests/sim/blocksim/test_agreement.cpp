// The simulator against the Evaluator conformance suite (tests/support/evaluator_conformance.h) and
// the analytical estimator on every case of it: action counts equal layer by layer, latency within
// 0.5% and energy within 0.1%; the same inputs give identical reports; traces hold spans per unit
// and DMA channel and bank counters.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "models/zoo/zoo.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_child.h"
#include "tests/support/evaluator_conformance.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;

// Every case of the Evaluator conformance suite, simulated in child processes (two at a time): the
// contract holds, action counts equal the estimator's layer by layer, latency agrees within 0.5% and
// energy within 0.1%.
TEST(Agreement, ConformsToTheEvaluatorContractAndAgreesWithTheEstimator) {
  const std::vector<test::ConformanceCase> cases = test::conformance_cases();
  std::vector<ChildJob> jobs;
  for (const test::ConformanceCase& c : cases)
    jobs.push_back([&c] {
      BlockSimEvaluator sim;
      return test::outcome_to_json(sim.evaluate(c.workload, c.hw, c.mapping), c.workload, c.hw, c.mapping, nullptr);
    });
  const std::vector<ChildResult> results = run_pool(jobs, 2, 300);
  std::printf("\n%-48s %12s %12s %8s %9s\n", "model / hw / mapping", "est cycles", "sim cycles", "lat %", "energy %");
  double worst_latency = 0, worst_energy = 0;
  for (size_t n = 0; n < cases.size(); ++n) {
    const test::ConformanceCase& c = cases[n];
    ASSERT_TRUE(results[n].ok) << c.label << ": " << results[n].error;
    const test::SimOutcome sim = test::outcome_from_json(results[n].output, c.workload);
    EvalResult simulated;
    simulated.ok = sim.ok, simulated.reason = sim.reason, simulated.report = sim.report;
    test::expect_conforming(c, simulated);
    if (!sim.ok) continue;
    AnalyticalEvaluator estimator;
    const EvalResult est = estimator.evaluate(c.workload, c.hw, c.mapping);
    ASSERT_TRUE(est.ok) << c.label << ": " << est.reason;
    for (size_t i = 0; i < c.workload.layers.size(); ++i)
      for (const ActionKind& k : kActionKinds)
        EXPECT_EQ(sim.report.layers[i].actions.*k.count, est.report.layers[i].actions.*k.count)
            << c.label << " / " << c.workload.layers[i].name << " / " << k.name;
    const double latency = 100.0 * double(sim.report.total_cycles - est.report.total_cycles) / double(est.report.total_cycles);
    const double energy = 100.0 * (sim.report.energy_pj() - est.report.energy_pj()) / est.report.energy_pj();
    std::printf("%-48s %12lld %12lld %+8.2f %+9.2f\n", c.label.c_str(), (long long)est.report.total_cycles,
                (long long)sim.report.total_cycles, latency, energy);
    EXPECT_LE(std::fabs(latency), 0.5) << c.label;
    EXPECT_LE(std::fabs(energy), 0.1) << c.label;
    worst_latency = std::max(worst_latency, std::fabs(latency));
    worst_energy = std::max(worst_energy, std::fabs(energy));
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
      BlockSimEvaluator sim;
      return test::outcome_to_json(sim.evaluate(w, hw, m), w, hw, m, nullptr);
    }, 60);
    ASSERT_TRUE(r.ok) << r.error;
    runs.push_back(r.output);
  }
  EXPECT_TRUE(test::outcome_from_json(runs[0], w).ok);
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
