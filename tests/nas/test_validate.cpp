// h4h validate: its statistics (MAPE, max error, Kendall tau-b, per-op grouping, targets) on
// hand-made inputs, and the command end to end: outputs, determinism, exit codes on bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "nas/cli/validate_report.h"
#include "nas/cli/validate_stats.h"
#include "sim/core/workload_json.h"
#include "tests/support/run.h"
#include "tests/support/build_paths.h"

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

// --- the command end to end ---

const std::string kSource = test::source_dir();
const std::string kHw = kSource + "/hwconfigs/h4h-default.yaml";
const std::string kSpace = kSource + "/models/spaces/nasvit-imagenet.yaml";

test::RunResult h4h(std::vector<std::string> args, double timeout_s = 300) {
  return test::run_h4h(std::move(args), timeout_s);
}

TEST(ValidateCommand, RandomSubnetsWriteTheirOutputsAndMeetTheTargets) {
  test::TempDir dir;
  const std::string out = dir.file("v");
  const test::RunResult r = h4h({"validate", "--space", kSpace, "--samples", "4", "--seed", "5", "--hw", kHw, "--out",
                                 out, "--json", "--jobs", "2", "--check"});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["samples"], 4);
  EXPECT_EQ(doc["failed"], 0);
  EXPECT_LE(doc["latency"]["mape_pct"].get<double>(), 2.0);
  EXPECT_LE(doc["energy"]["mape_pct"].get<double>(), 1.0);
  EXPECT_GE(doc["latency"]["kendall_tau"].get<double>(), 0.95);
  EXPECT_EQ(doc["targets"]["met"], true);
  EXPECT_EQ(doc["inputs"]["seed"], 5);
  EXPECT_FALSE(doc["ops"].empty());
  EXPECT_EQ(json::parse(test::read_file(out + "/summary.json")), doc);
  const std::string csv = test::read_file(out + "/samples.csv");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  EXPECT_NE(csv.find("nasvit-imagenet-0003"), std::string::npos);
  EXPECT_NE(test::read_file(out + "/ops.csv").find("conv2d,npu,"), std::string::npos);
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0) {
    EXPECT_GT(test::read_file(out + "/scatter.png").size(), 1000u);
    EXPECT_NE(test::read_file(out + "/scatter.svg").find("<svg"), std::string::npos);
  }
  // The same seed gives the same subnets and figures.
  const test::RunResult again = h4h({"validate", "--space", kSpace, "--samples", "4", "--seed", "5", "--hw", kHw,
                                     "--out", dir.file("w"), "--jobs", "1"});
  ASSERT_TRUE(again.exited() && again.exit_code == 0) << again.describe();
  EXPECT_EQ(test::read_file(dir.file("w") + "/samples.csv"), csv);
  EXPECT_NE(again.out.find("Kendall tau"), std::string::npos);
}

TEST(ValidateCommand, ZooModelsUnderThePartitioner) {
  const test::RunResult r = h4h({"validate", "--models", "mobilenet_v2,deit_tiny", "--hw", kHw, "--mapping", "optimal",
                                 "--objective", "edp", "--json"});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc["samples"], 2);
  EXPECT_EQ(doc["inputs"]["mapping"], "optimal");
  EXPECT_LE(doc["latency"]["max_abs_error_pct"].get<double>(), 3.0);
  EXPECT_LE(doc["energy"]["max_abs_error_pct"].get<double>(), 3.0);
}

TEST(ValidateCommand, BadInputExitsTwoWithAMessageAndWritesNothing) {
  test::TempDir dir;
  const std::string out = dir.file("v");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--space", kSpace, "--samples", "0"}, "--samples"},
      {{"--space", kSpace, "--samples", "-3"}, "--samples"},
      {{"--space", kSpace}, "--samples"},
      {{"--space", dir.file("nosuch.yaml"), "--samples", "2"}, "nosuch.yaml"},
      {{"--models", "mobilenet_v2", "--space", kSpace, "--samples", "2"}, "--space"},
      {{"--samples", "2"}, "--space"},
      {{"--models", "no_such_model"}, "no_such_model"},
      {{"--models", ","}, "--models"},
      {{"--models", "mobilenet_v2", "--samples", "3"}, "--samples"},
      {{"--models", "mobilenet_v2", "--mapping", "fastest"}, "fastest"},
      {{"--models", "mobilenet_v2", "--set", "cim.no_such_key=1"}, "no_such_key"},
      {{"--models", "mobilenet_v2", "--mapping", "cim-only"}, "cim"},
  };
  for (const auto& [extra, expected] : cases) {
    std::vector<std::string> args = {"validate", "--hw", kHw, "--out", out};
    args.insert(args.end(), extra.begin(), extra.end());
    const test::RunResult r = h4h(args);
    std::string joined;
    for (const std::string& a : extra) joined += a + " ";
    EXPECT_TRUE(r.exited() && r.exit_code == 2) << joined << ": " << r.describe();
    EXPECT_NE(r.err.find(expected), std::string::npos) << joined << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << joined << ": " << r.out;
  }
  EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace h4h
