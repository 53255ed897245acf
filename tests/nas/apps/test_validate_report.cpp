// `h4h validate`'s statistics (MAPE, max error, Kendall tau-b, per-op grouping, targets) on
// hand-made inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "nas/apps/validate_report.h"
#include "nas/apps/validate_stats.h"
#include "sim/core/workload_json.h"

namespace h4h {
namespace {

using nlohmann::json;

TEST(ValidateStats, KendallTauB) {
  EXPECT_DOUBLE_EQ(*kendall_tau_b({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
  EXPECT_DOUBLE_EQ(*kendall_tau_b({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
  // One discordant pair (2, 3) of six: (5 - 1) / 6.
  EXPECT_NEAR(*kendall_tau_b({1, 2, 3, 4}, {1, 3, 2, 4}), 4.0 / 6.0, 1e-12);
  // Ties: one pair tied in x, another in y, four concordant: 4 / sqrt((6 - 1) (6 - 1)).
  EXPECT_NEAR(*kendall_tau_b({1, 1, 2, 3}, {1, 2, 2, 3}), 0.8, 1e-12);
  EXPECT_FALSE(kendall_tau_b({1}, {1}).has_value());
  EXPECT_FALSE(kendall_tau_b({2, 2, 2}, {1, 2, 3}).has_value());
  EXPECT_THROW(kendall_tau_b({1, 2}, {1}), std::invalid_argument);
}

TEST(ValidateStats, AgreementIsRelativeToTheReference) {
  const Agreement a = agreement({110, 90, 100}, {100, 100, 100});
  EXPECT_EQ(a.count, 3u);
  EXPECT_NEAR(a.mape_pct, 20.0 / 3.0, 1e-12);
  EXPECT_NEAR(a.max_abs_error_pct, 10.0, 1e-12);
  EXPECT_NEAR(a.mean_error_pct, 0.0, 1e-12);
  // A zero reference has no relative error; it still counts for tau.
  const Agreement z = agreement({5, 110, 220}, {0, 100, 200});
  EXPECT_EQ(z.count, 2u);
  EXPECT_NEAR(z.mape_pct, 10.0, 1e-12);
  EXPECT_NEAR(*z.kendall_tau, 1.0, 1e-12);
  EXPECT_THROW(agreement({1, 2}, {1}), std::invalid_argument);
}

// A sample of a two-layer workload (a conv on the NPU, a linear on the CIM) whose estimate and
// simulation differ by the given factors per layer.
ValidationSample sample(double conv_factor, double fc_factor, int64_t base) {
  ValidationSample s;
  s.workload = parse_workload(R"({"version": 1, "name": "w", "layers": [
      {"name": "conv", "op": "conv2d", "input": [8, 8, 8], "out_channels": 8, "kernel": [3, 3]},
      {"name": "fc", "op": "linear", "tokens": 64, "in_features": 8, "out_features": 8}]})", "w.json");
  s.mapping = mapping_all(s.workload, Unit::Npu, "test");
  s.mapping.layers[1].npu_fraction = 0;
  for (CostReport* r : {&s.estimated, &s.simulated}) {
    const bool est = r == &s.estimated;
    r->layers.resize(2);
    r->layers[0].cycles = int64_t(double(base) * (est ? conv_factor : 1));
    r->layers[1].cycles = int64_t(double(base) * (est ? fc_factor : 1));
    for (LayerCost& l : r->layers) l.energy.mac_pj = double(l.cycles);
    r->total_cycles = r->layers[0].cycles + r->layers[1].cycles;
    r->energy.mac_pj = double(r->total_cycles);
  }
  return s;
}

TEST(ValidateReport, SummaryGroupsLayerErrorsByOpAndUnitAndChecksTheTargets) {
  // Sample 1: conv +10 %, fc exact: latency +5 %. Sample 2 (twice as long): exact.
  std::vector<ValidationSample> samples = {sample(1.1, 1.0, 1000), sample(1.0, 1.0, 2000)};
  ValidationSample failed = sample(1.0, 1.0, 3000);
  failed.failure = "simulator: killed by signal 9";
  samples.push_back(failed);
  const ValidationSummary s = summarize(samples);
  EXPECT_EQ(s.samples, 3u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.latency.count, 2u);
  EXPECT_NEAR(s.latency.mape_pct, 2.5, 1e-9);
  EXPECT_NEAR(s.latency.max_abs_error_pct, 5.0, 1e-9);
  EXPECT_NEAR(*s.latency.kendall_tau, 1.0, 1e-12);
  ASSERT_EQ(s.ops.size(), 2u);
  const OpErrors& conv = s.ops[0].op == "conv2d" ? s.ops[0] : s.ops[1];
  const OpErrors& fc = s.ops[0].op == "linear" ? s.ops[0] : s.ops[1];
  EXPECT_EQ(conv.unit, "npu");
  EXPECT_EQ(fc.unit, "cim");
  EXPECT_EQ(conv.layers, 2u);
  EXPECT_NEAR(conv.cycles.mape_pct, 5.0, 1e-9);
  EXPECT_NEAR(conv.total_cycles_error_pct, 100.0 * 100 / 3000, 1e-9);
  EXPECT_NEAR(fc.cycles.max_abs_error_pct, 0.0, 1e-12);
  EXPECT_FALSE(s.latency_met);  // 2.5 % > 2 %
  EXPECT_FALSE(s.energy_met);
  EXPECT_TRUE(s.tau_met);
  EXPECT_FALSE(s.targets_met());
  const ValidationSummary exact = summarize({sample(1.0, 1.0, 1000), sample(1.0, 1.0, 3000)});
  EXPECT_TRUE(exact.targets_met());
  // One sample cannot be ranked: tau is undefined and its target not met.
  EXPECT_FALSE(summarize({sample(1.0, 1.0, 1000)}).tau_met);

  HardwareSpec hw;
  hw.clock_mhz = 500;
  const std::string csv = samples_csv(samples, hw);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  EXPECT_NE(csv.find("\"simulator: killed by signal 9\""), std::string::npos);
  const json doc = summary_json(s, samples, json{{"hw", "test"}});
  EXPECT_EQ(doc["failed"], 1);
  EXPECT_EQ(doc["failures"][0]["reason"], "simulator: killed by signal 9");
  EXPECT_EQ(doc["targets"]["met"], false);
  EXPECT_EQ(doc["ops"].size(), 2u);
}

}  // namespace
}  // namespace h4h
