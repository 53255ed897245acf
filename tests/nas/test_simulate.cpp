// End-to-end tests of `h4h simulate` and `h4h compare`: bad input is exit 2 before anything is
// simulated (and leaves no file), a failed simulation is exit 1 with the reason, the result JSON,
// the per-layer CSV and the Chrome trace, and the estimator/simulator comparison.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "tests/support/run.h"
#include "tests/support/build_paths.h"
#include "tests/support/repo_files.h"

namespace h4h::test {
namespace {

using nlohmann::json;

const std::string kSource = test::source_dir();
const std::string kDefaultHw = preset_file("h4h-default");
const std::string kU55Hw = preset_file("ethos-u55-256");
const std::string kTiny = tiny_workload_file();
const std::string kChain = kSource + "/traces/golden/chain3.workload.json";

RunResult h4h(std::vector<std::string> args, double timeout_s = 120) {
  return run_h4h(std::move(args), timeout_s);
}

void expect_exit(const RunResult& r, int code, const std::string& fragment) {
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, code) << r.describe();
  EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out.substr(0, 300);
  EXPECT_NE(r.err.find(fragment), std::string::npos) << "'" << fragment << "' not in stderr: " << r.err;
}

TEST(Simulate, BadInputIsExitTwoAndLeavesNoFile) {
  TempDir out;
  const std::vector<std::string> outputs = {"--csv", out.file("l.csv"), "--trace", out.file("t.json")};
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), "simulate");
    args.insert(args.end(), outputs.begin(), outputs.end());
    return h4h(args);
  };
  expect_exit(run({"--workload", kTiny, "--hw", kSource + "/hwconfigs/missing.yaml"}), 2, "missing.yaml");
  expect_exit(run({"--model", "no_such_model", "--hw", kDefaultHw}), 2, "no_such_model");
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--set", "cim.macros=-3"}), 2, "cim.macros");
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--mapping", "no-such-schema"}), 2, "no-such-schema");
  expect_exit(run({"--workload", kTiny, "--model", "mobilenet_v2", "--hw", kDefaultHw}), 2, "exactly one");
  expect_exit(h4h({"compare", "--workload", kTiny, "--hw", kSource + "/hwconfigs/missing.yaml"}), 2, "missing.yaml");
  EXPECT_EQ(h4h({"simulate", "--workload", kTiny, "--hw", kDefaultHw, "--timeout", "-1"}).exit_code, 2);
  // The cycle-level simulator's options and keys.
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--fidelity", "fast"}), 2, "--fidelity");
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--set", "sram.interleave_bytes=12"}), 2, "power of two");
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--set", "sram.arbitration=lottery"}), 2, "sram.arbitration");
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--sram-trace", out.file("st")}), 2, "npu.engine=systolic");
  expect_exit(run({"--workload", kTiny, "--hw", kDefaultHw, "--set", "npu.engine=systolic", "--fidelity", "block",
                   "--sram-trace", out.file("st")}),
              2, "--fidelity cycle");
  EXPECT_TRUE(out.entries().empty()) << "a failing run left a file behind: " << out.entries().front();
}

TEST(Simulate, ATimeoutIsAFailedSimulationNotBadInput) {
  TempDir out;
  // deit_tiny takes far longer than a millisecond to simulate (fork alone takes about that).
  RunResult r = h4h({"simulate", "--model", "deit_tiny", "--hw", kDefaultHw, "--timeout", "0.001", "--csv",
                     out.file("l.csv"), "--trace", out.file("t.json")});
  expect_exit(r, 1, "timed out after 0.001 s");
  EXPECT_NE(r.err.find("simulation of deit_tiny"), std::string::npos) << r.err;
  EXPECT_TRUE(out.entries().empty());
}

TEST(Simulate, JsonIsTheResultSchemaWithTheSystemcEvaluator) {
  RunResult r = h4h({"simulate", "--workload", kTiny, "--hw", kDefaultHw, "--json"});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  const json doc = json::parse(r.out);
  EXPECT_EQ(doc.at("evaluator"), "systemc");
  EXPECT_EQ(doc.at("workload"), "tiny");
  EXPECT_EQ(doc.at("hw"), "h4h-default");
  ASSERT_EQ(doc.at("layers").size(), 5u);
  int64_t last_end = 0, macs = 0;
  for (const json& l : doc.at("layers")) {
    EXPECT_EQ(l.at("end_cycle").get<int64_t>() - l.at("start_cycle").get<int64_t>(), l.at("cycles").get<int64_t>());
    last_end = std::max(last_end, l.at("end_cycle").get<int64_t>());
    macs += l.at("macs").get<int64_t>();
  }
  EXPECT_EQ(doc.at("total").at("cycles"), last_end);
  EXPECT_EQ(doc.at("total").at("macs"), macs);
  // The same workload's MACs as the estimator counts them.
  RunResult est = h4h({"estimate", "--workload", kTiny, "--hw", kDefaultHw, "--json"});
  ASSERT_EQ(est.exit_code, 0) << est.describe();
  EXPECT_EQ(json::parse(est.out).at("total").at("macs"), macs);
  EXPECT_EQ(json::parse(est.out).at("mapping"), doc.at("mapping"));
}

TEST(Simulate, IsDeterministic) {
  RunResult a = h4h({"simulate", "--workload", kChain, "--hw", kU55Hw, "--json"});
  RunResult b = h4h({"simulate", "--workload", kChain, "--hw", kU55Hw, "--json"});
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  EXPECT_EQ(a.out, b.out);
}

TEST(Simulate, WritesTheTraceAndTheCsvAndPrintsATable) {
  TempDir out;
  RunResult r = h4h({"simulate", "--workload", kTiny, "--hw", kDefaultHw, "--trace", out.file("t.json"), "--csv",
                     out.file("layers.csv")});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  EXPECT_NE(r.out.find("systemc evaluator"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stalls: memory"), std::string::npos) << r.out;
  const json trace = json::parse(read_file(out.file("t.json")));
  std::set<std::string> tracks, span_names;
  for (const json& e : trace.at("traceEvents")) {
    if (e.at("ph") == "M" && e.at("name") == "thread_name") tracks.insert(e.at("args").at("name").get<std::string>());
    if (e.at("ph") == "X") span_names.insert(e.at("name").get<std::string>());
  }
  EXPECT_TRUE(tracks.count("npu")) << trace.dump().substr(0, 500);
  // Viewers need each thread's slices to nest or follow each other (traces/README.md).
  std::map<int, std::vector<std::pair<int64_t, int64_t>>> slices;  // tid -> (start, end) in file order
  for (const json& e : trace.at("traceEvents"))
    if (e.at("ph") == "X")
      slices[e.at("tid")].push_back({e.at("args").at("start_cycle"), e.at("args").at("end_cycle")});
  for (auto& [tid, list] : slices) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first < b.first : a.second > b.second;
    });
    std::vector<int64_t> open;
    for (const auto& [start, end] : list) {
      while (!open.empty() && open.back() <= start) open.pop_back();
      EXPECT_TRUE(open.empty() || end <= open.back()) << "tid " << tid << ": [" << start << ", " << end << ") overlaps";
      open.push_back(end);
    }
  }
  for (const char* layer : {"stem", "dw1", "qkv", "attn", "res"}) EXPECT_TRUE(span_names.count(layer)) << layer;
  const std::string csv = read_file(out.file("layers.csv"));
  EXPECT_EQ(csv.rfind("name,op,unit,", 0), 0u) << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 6);
}

TEST(Compare, JsonHasEveryLayerWorstFirstAndTheTotals) {
  RunResult r = h4h({"compare", "--workload", kTiny, "--hw", kDefaultHw, "--json"});
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  const json doc = json::parse(r.out);
  ASSERT_EQ(doc.at("layers").size(), 5u);
  double previous = 1e300;
  for (const json& l : doc.at("layers")) {
    const json& c = l.at("cycles");
    const double gap = std::abs(c.at("simulated").get<double>() - c.at("estimated").get<double>());
    EXPECT_LE(gap, previous) << l.dump();
    previous = gap;
    if (c.at("simulated").get<double>() > 0) {
      EXPECT_DOUBLE_EQ(c.at("rel_error").get<double>(),
                       (c.at("estimated").get<double>() - c.at("simulated").get<double>()) / c.at("simulated").get<double>());
    }
  }
  for (const char* key : {"cycles", "latency_ms", "energy_pj", "npu_busy_cycles", "cim_busy_cycles"})
    EXPECT_TRUE(doc.at("total").at(key).contains("rel_error")) << key;
  // The estimate side is exactly `h4h estimate`.
  RunResult est = h4h({"estimate", "--workload", kTiny, "--hw", kDefaultHw, "--json"});
  EXPECT_EQ(doc.at("total").at("cycles").at("estimated").get<double>(),
            json::parse(est.out).at("total").at("cycles").get<double>());
  RunResult top = h4h({"compare", "--workload", kTiny, "--hw", kDefaultHw, "--top", "2"});
  ASSERT_EQ(top.exit_code, 0) << top.describe();
  EXPECT_NE(top.out.find("(2 of 5)"), std::string::npos) << top.out;
}

}  // namespace
}  // namespace h4h::test
