// End-to-end tests of the bounded resources: every command that simulates takes the same --max-*
// flags (nas/cli/system_options.h); a simulation predicted to cross a limit is refused with exit 2
// before anything is simulated or written, naming the limit, the value and the flag; raising the
// flag lets the same run through; the zoo passes with the defaults; a sweep refuses too many points;
// and a sweep point that outlives --timeout is reported as timed out while the others complete.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {
namespace {

using nlohmann::json;

const std::string kSource = test::source_dir();
const std::string kDefaultHw = kSource + "/hwconfigs/h4h-default.yaml";

RunResult h4h(std::vector<std::string> args, double timeout_s = 300) { return run_h4h(std::move(args), timeout_s); }

void expect_refused(const RunResult& r, const std::vector<std::string>& fragments) {
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out.substr(0, 300);
  for (const std::string& f : fragments) EXPECT_NE(r.err.find(f), std::string::npos) << "'" << f << "' not in: " << r.err;
}

void expect_ok(const RunResult& r) {
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
}

// 2^40 MACs and a terabyte of weights: within the workload parser's limits, absurd to simulate.
std::string write_huge_fc(const TempDir& dir) {
  const std::string path = dir.file("huge_fc.json");
  write_file(path, R"({"version": 1, "name": "huge_fc", "layers": [
    {"name": "fc", "op": "linear", "tokens": 1, "in_features": 1048576, "out_features": 1048576}]})");
  return path;
}

TEST(Limits, EveryCommandThatSimulatesSpellsTheFlagsTheSameWay) {
  for (const std::string cmd : {"simulate", "compare", "validate", "sweep", "search"}) {
    const RunResult r = h4h({cmd, "--help"});
    ASSERT_TRUE(r.exited() && r.exit_code == 0) << cmd << ": " << r.describe();
    for (const std::string flag : {"--max-sim-events", "--max-sim-cycles", "--max-sim-memory-mb"})
      EXPECT_NE(r.out.find(flag), std::string::npos) << cmd << " lacks " << flag;
    const bool traces = cmd == "simulate" || cmd == "search";
    EXPECT_EQ(r.out.find("--max-trace-mb") != std::string::npos, traces) << cmd;
    EXPECT_EQ(r.out.find("--max-points") != std::string::npos, cmd == "sweep") << cmd;
  }
  expect_refused(h4h({"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--max-sim-events", "-1"}),
                 {"--max-sim-events"});
  expect_refused(h4h({"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--max-sim-cycles", "2e16"}),
                 {"--max-sim-cycles"});
}

TEST(Limits, SimulateRefusesEachLimitWithExitTwoAndWritesNothing) {
  TempDir out;
  const std::vector<std::string> base = {"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--csv",
                                         out.file("layers.csv")};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return h4h(args);
  };
  expect_refused(with({"--max-sim-events", "1000"}),
                 {"simulate: mobilenet_v2 on h4h-default needs ~", " simulation events (most in layer '",
                  "over the limit 1000 (--max-sim-events); raise the limit with --max-sim-events N"});
  expect_refused(with({"--max-sim-cycles", "1e5"}),
                 {"simulate: mobilenet_v2 on h4h-default needs at least ~", "simulated cycles",
                  "over the limit 100000 (--max-sim-cycles)", "--max-sim-cycles N"});
  expect_refused(with({"--max-sim-memory-mb", "10"}),
                 {"MB of memory, over the limit 10 MB (--max-sim-memory-mb)", "--max-sim-memory-mb N"});
  expect_refused(with({"--trace", out.file("t.json"), "--max-trace-mb", "1"}),
                 {"MB trace, over the limit 1 MB (--max-trace-mb)", "--max-trace-mb N", "without a trace"});
  EXPECT_TRUE(out.entries().empty()) << "a refused run left a file behind: " << out.entries().front();
}

TEST(Limits, RaisingTheFlagLetsTheSameSimulationThrough) {
  TempDir out;
  expect_ok(h4h({"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--max-sim-events", "1e7", "--max-sim-cycles",
                 "1e8", "--max-sim-memory-mb", "200", "--trace", out.file("t.json"), "--max-trace-mb", "100"}));
  EXPECT_FALSE(read_file(out.file("t.json")).empty());
  // The trace limit applies only to a run that records one.
  expect_ok(h4h({"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--max-trace-mb", "1"}));
  // 0 disables a limit.
  expect_ok(h4h({"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--max-sim-events", "0"}));
}

TEST(Limits, TheDefaultsRefuseAnAbsurdWorkloadUpFront) {
  TempDir dir;
  const std::string huge = write_huge_fc(dir);
  for (const std::string cmd : {"simulate", "compare"}) {
    const RunResult r = h4h({cmd, "--workload", huge, "--hw", kDefaultHw, "--mapping", "npu-only"}, 60);
    expect_refused(r, {cmd + ": huge_fc on h4h-default needs at least ~1.1e12 simulated cycles",
                       "over the limit 1e12 (--max-sim-cycles)", "~1.1e12 simulation events",
                       "over the limit 1e9 (--max-sim-events)",
                       "raise the limits with --max-sim-cycles N and --max-sim-events N"});
  }
}

TEST(Limits, CompareAndValidateRefuseBeforeSimulating) {
  expect_refused(h4h({"compare", "--model", "resnet18", "--hw", kDefaultHw, "--max-sim-events", "1000"}),
                 {"compare: resnet18 on h4h-default needs ~", "(--max-sim-events)"});
  TempDir dir;
  const std::string out = dir.file("validate");
  // The cycle-level simulator's work is its cycles: mobilenet_v2 ~4.9e6, resnet18 ~3e7.
  expect_refused(h4h({"validate", "--models", "mobilenet_v2,resnet18", "--hw", kDefaultHw, "--max-sim-events", "1e7",
                      "--out", out}),
                 {"validate: resnet18 on h4h-default needs ~", "over the limit 1e7 (--max-sim-events)"});
  EXPECT_TRUE(dir.entries().empty()) << "validate wrote " << dir.entries().front();
}

TEST(Limits, TheZooPassesWithTheDefaults) {
  const RunResult r = h4h({"validate", "--models", "all", "--hw", kDefaultHw, "--json"});
  expect_ok(r);
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("samples"), 5) << r.out.substr(0, 500);
  EXPECT_EQ(doc.at("simulated"), 5) << r.out.substr(0, 500);
}

TEST(Limits, SweepRefusesTooManyPointsOrAPointOverASimulationLimit) {
  TempDir dir;
  const std::string out = dir.file("sweep");
  const std::vector<std::string> grid = {"sweep", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--set",
                                         "cim.macros=1,2,3", "--set", "cim.compute_units=1,2,3,4", "--out", out};
  std::vector<std::string> args = grid;
  args.insert(args.end(), {"--max-points", "10"});
  expect_refused(h4h(args), {"sweep: the --set values make 12 points (3 x 4), over the limit 10 (--max-points); raise "
                             "it with --max-points N"});
  EXPECT_TRUE(dir.entries().empty());
  args = grid;
  args.insert(args.end(), {"--max-points", "12"});
  expect_ok(h4h(args));

  TempDir sim_dir;
  const RunResult r = h4h({"sweep", "--model", "resnet18", "--hw", kDefaultHw, "--set", "external.burst_bytes=65536,4",
                           "--simulate", "--fidelity", "block", "--max-sim-events", "2e6", "--out", sim_dir.file("sweep")});
  expect_refused(r, {"sweep: at external.burst_bytes=4: resnet18 on h4h-default needs ~7.1e6 simulation events",
                     "over the limit 2e6 (--max-sim-events)"});
  EXPECT_TRUE(sim_dir.entries().empty()) << "sweep wrote " << sim_dir.entries().front();
}

TEST(Limits, ASweepPointThatOutlivesTheTimeoutIsReportedAndTheOthersComplete) {
  TempDir dir;
  // The block simulator (its cost is events): 1-byte bursts, ~12 M external bursts, over ten seconds;
  // 64 KB bursts: well under a second.
  const RunResult r = h4h({"sweep", "--model", "resnet18", "--hw", kDefaultHw, "--set", "external.burst_bytes=65536,1",
                           "--simulate", "--fidelity", "block", "--jobs", "2", "--timeout", "8", "--out", dir.path()});
  expect_ok(r);
  EXPECT_NE(r.err.find("1 of 2 simulations failed"), std::string::npos) << r.err;
  const json points = json::parse(read_file(dir.file("sweep.json"))).at("points");
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].at("external.burst_bytes"), "65536");
  EXPECT_EQ(points[0].at("simulated").at("status"), "ok");
  EXPECT_GT(points[0].at("simulated").at("cycles").get<int64_t>(), 0);
  EXPECT_EQ(points[1].at("external.burst_bytes"), "1");
  EXPECT_NE(points[1].at("simulated").at("status").get<std::string>().find("timed out after 8 s"), std::string::npos)
      << points[1];
}

}  // namespace
}  // namespace h4h::test
