// h4h validate end to end: outputs, determinism, exit codes on bad input (its statistics:
// tests/nas/apps/test_validate_report.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "sim/core/workload_json.h"
#include "tests/support/build_paths.h"
#include "tests/support/run.h"

namespace h4h {
namespace {

using nlohmann::json;

const std::string kSource = test::source_dir();
const std::string kHw = kSource + "/hwconfigs/h4h-default.yaml";
const std::string kSpace = kSource + "/models/spaces/nasvit-imagenet.yaml";

test::RunResult h4h(std::vector<std::string> args, double timeout_s = 300) {
  return test::run_h4h(std::move(args), timeout_s);
}

TEST(ValidateCommand, RandomSubnetsWriteTheirOutputsAndMeetTheTargets) {
  test::TempDir dir;
  const std::string out = dir.file("v");
  // Against the block simulator, whose agreement targets --check enforces; the cycle-level model's
  // agreement is measured in the README's validation runs.
  const test::RunResult r = h4h({"validate", "--space", kSpace, "--samples", "4", "--seed", "5", "--hw", kHw, "--out",
                                 out, "--json", "--jobs", "2", "--check", "--fidelity", "block"});
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
                                     "--out", dir.file("w"), "--jobs", "1", "--fidelity", "block"});
  ASSERT_TRUE(again.exited() && again.exit_code == 0) << again.describe();
  EXPECT_EQ(test::read_file(dir.file("w") + "/samples.csv"), csv);
  EXPECT_NE(again.out.find("Kendall tau"), std::string::npos);
}

TEST(ValidateCommand, ZooModelsUnderThePartitioner) {
  const test::RunResult r = h4h({"validate", "--models", "mobilenet_v2,deit_tiny", "--hw", kHw, "--mapping", "optimal",
                                 "--objective", "edp", "--json", "--fidelity", "block"});
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
