// End-to-end tests of `h4h sweep`: the CSV/JSON contract with and without --simulate, the
// simulator's agreement with the estimator on sweep points, the optimal schema's monotonicity in
// CIM macros, failed points as rows with reasons, and bad input (exit 2, nothing written).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <sstream>
#include <string>
#include <vector>

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
const std::string kEstimateColumns = "cycles,latency_ms,energy_uj,edp_uj_ms,cim_layers,status";
const std::string kSimColumns = "sim_cycles,sim_latency_ms,sim_energy_uj,sim_edp_uj_ms,latency_err_pct,energy_err_pct,sim_status";

RunResult h4h(std::vector<std::string> args, double timeout_s = 300) {
  return run_h4h(std::move(args), timeout_s);
}

// A CSV file as header -> column, one map per row (RFC 4180 quoting).
using CsvRow = std::map<std::string, std::string>;

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') fields.back() += '"', ++i;
    else if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.emplace_back();
    else fields.back() += c;
  }
  return fields;
}

struct Csv {
  std::string header;
  std::vector<CsvRow> rows;
};

Csv parse_csv(const std::string& text) {
  Csv csv;
  std::stringstream ss(text);
  std::getline(ss, csv.header);
  const std::vector<std::string> names = split_csv_line(csv.header);
  for (std::string line; std::getline(ss, line);) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = split_csv_line(line);
    EXPECT_EQ(fields.size(), names.size()) << "row: " << line;
    CsvRow row;
    for (size_t i = 0; i < names.size() && i < fields.size(); ++i) row[names[i]] = fields[i];
    csv.rows.push_back(row);
  }
  return csv;
}

double number(const CsvRow& row, const std::string& column) {
  const std::string& text = row.at(column);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  EXPECT_TRUE(!text.empty() && *end == '\0') << column << " is not a number: '" << text << "'";
  return v;
}

// Runs a sweep that must succeed; returns its CSV (and checks stdout carries the same CSV).
Csv run_sweep(std::vector<std::string> args, const TempDir& out) {
  args.insert(args.begin(), "sweep");
  args.insert(args.end(), {"--out", out.path()});
  const RunResult r = h4h(args);
  EXPECT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  const std::string csv = read_file(out.file("sweep.csv"));
  EXPECT_EQ(r.out.substr(0, csv.size()), csv) << "stdout does not start with the CSV";
  return parse_csv(csv);
}

void expect_bad_sweep(std::vector<std::string> args, std::initializer_list<std::string> fragments) {
  TempDir tmp;
  const std::string out = tmp.file("sweep");
  args.insert(args.begin(), "sweep");
  args.insert(args.end(), {"--out", out});
  const RunResult r = h4h(args);
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out.substr(0, 300);
  for (const std::string& f : fragments) EXPECT_NE(r.err.find(f), std::string::npos) << "'" << f << "' not in stderr: " << r.err;
  EXPECT_FALSE(std::filesystem::exists(out)) << "a rejected sweep created its output directory";
}

// A hybrid (MBConv + transformer) random subnet of the NASViT space, written into `dir`.
std::string hybrid_subnet(const TempDir& dir) {
  // Seed 4: a subnet whose activations fit h4h-default's 2 MB SRAM (seed 3's do not).
  const RunResult r = h4h({"space", "sample", "--space", kSource + "/models/spaces/nasvit-imagenet.yaml", "--n", "1",
                           "--seed", "4", "--out", dir.path()});
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  const std::string file = dir.file("subnet_0000.json");
  const json w = json::parse(read_file(file));
  int matmuls = 0, depthwise = 0;
  for (const json& l : w.at("layers")) {
    matmuls += l.at("op") == "matmul";
    depthwise += l.at("op") == "depthwise_conv2d";
  }
  EXPECT_GT(matmuls, 0) << "the sampled subnet has no attention: not hybrid";
  EXPECT_GT(depthwise, 0) << "the sampled subnet has no MBConv: not hybrid";
  return file;
}

// A two-layer network whose first layer (512 KB of int8 weights) needs at least two 256 KB macros
// of h4h-default's CIM, and a mapping that pins it resident there.
void write_pinned_case(const TempDir& dir) {
  write_file(dir.file("fc.json"), R"({"version": 1, "name": "fc_net", "layers": [
    {"name": "fc", "op": "linear", "tokens": 16, "in_features": 1024, "out_features": 512},
    {"name": "head", "op": "linear", "tokens": 16, "in_features": 512, "out_features": 64}]})");
  write_file(dir.file("pin.json"), R"({"version": 1, "layers": {"fc": {"cim": 1.0, "weights": "resident"}}})");
}

// ---------------------------------------------------------------------------------------------

TEST(Sweep, WithoutSimulateTheCsvAndJsonKeepTheirContract) {
  TempDir out;
  const Csv csv = run_sweep({"--model", "mobilenet_v2", "--hw", kDefaultHw, "--set", "cim.macros=1,2", "--set",
                             "cim.compute_units=1,4"},
                            out);
  EXPECT_EQ(csv.header, "cim.macros,cim.compute_units," + kEstimateColumns);
  ASSERT_EQ(csv.rows.size(), 4u);
  const std::vector<std::pair<std::string, std::string>> order = {{"1", "1"}, {"1", "4"}, {"2", "1"}, {"2", "4"}};
  for (size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(csv.rows[i].at("cim.macros"), order[i].first);
    EXPECT_EQ(csv.rows[i].at("cim.compute_units"), order[i].second);
    EXPECT_EQ(csv.rows[i].at("status"), "ok");
    EXPECT_NEAR(number(csv.rows[i], "edp_uj_ms"), number(csv.rows[i], "latency_ms") * number(csv.rows[i], "energy_uj"),
                1e-3 * number(csv.rows[i], "edp_uj_ms"));
  }
  const json doc = json::parse(read_file(out.file("sweep.json")));
  EXPECT_EQ(doc.at("keys"), json({"cim.macros", "cim.compute_units"}));
  EXPECT_EQ(doc.at("simulated"), false);
  ASSERT_EQ(doc.at("points").size(), 4u);
  EXPECT_FALSE(doc.at("points")[0].contains("simulated"));
  EXPECT_EQ(doc.at("points")[3].at("cycles").get<double>(), number(csv.rows[3], "cycles"));
}

TEST(Sweep, SimulatedColumnsAgreeWithTheEstimateWithinThreePercent) {
  for (const std::string model : {"mobilenet_v2", "nasvit_a0"}) {
    SCOPED_TRACE(model);
    TempDir out;
    // The block simulator: the estimator is held to 3% of it; the cycle-level model's agreement is
    // measured with `h4h validate` (README, "Validation").
    const Csv csv = run_sweep({"--model", model, "--hw", kDefaultHw, "--set", "cim.macros=1,2,4", "--schema", "rule",
                               "--simulate", "--fidelity", "block", "--jobs", "2"},
                              out);
    EXPECT_EQ(csv.header, "cim.macros," + kEstimateColumns + "," + kSimColumns);
    ASSERT_EQ(csv.rows.size(), 3u);
    for (const CsvRow& row : csv.rows) {
      SCOPED_TRACE("cim.macros=" + row.at("cim.macros"));
      ASSERT_EQ(row.at("status"), "ok");
      ASSERT_EQ(row.at("sim_status"), "ok");
      const double lat = number(row, "latency_ms"), sim_lat = number(row, "sim_latency_ms");
      const double uj = number(row, "energy_uj"), sim_uj = number(row, "sim_energy_uj");
      EXPECT_LE(std::fabs(lat - sim_lat) / sim_lat, 0.03) << lat << " ms estimated vs " << sim_lat << " ms simulated";
      EXPECT_LE(std::fabs(uj - sim_uj) / sim_uj, 0.03) << uj << " uJ estimated vs " << sim_uj << " uJ simulated";
      // The error columns are (estimated - simulated) / simulated in percent.
      EXPECT_NEAR(number(row, "latency_err_pct"), 100 * (lat - sim_lat) / sim_lat, 1e-3);
      EXPECT_NEAR(number(row, "energy_err_pct"), 100 * (uj - sim_uj) / sim_uj, 1e-2);
      EXPECT_NEAR(number(row, "sim_edp_uj_ms"), sim_lat * sim_uj, 1e-3 * sim_lat * sim_uj);
      // The simulator ran the point's own hardware: latency is its cycles at 500 MHz.
      EXPECT_NEAR(number(row, "sim_cycles") / 5e5, sim_lat, 1e-5);
    }
    const json doc = json::parse(read_file(out.file("sweep.json")));
    EXPECT_EQ(doc.at("simulated"), true);
    for (const json& p : doc.at("points")) {
      EXPECT_EQ(p.at("simulated").at("status"), "ok");
      EXPECT_LE(std::fabs(p.at("simulated").at("latency_error_pct").get<double>()), 3.0);
      EXPECT_LE(std::fabs(p.at("simulated").at("energy_error_pct").get<double>()), 3.0);
    }
  }
}

TEST(Sweep, SimulatedResultsDoNotDependOnTheNumberOfWorkers) {
  TempDir one, two;
  const std::vector<std::string> args = {"--model", "mobilenet_v2", "--hw", kDefaultHw, "--set", "cim.macros=1,4",
                                         "--set", "cim.compute_units=1,2", "--simulate"};
  std::vector<std::string> a = args, b = args;
  a.insert(a.end(), {"--jobs", "1"});
  b.insert(b.end(), {"--jobs", "3"});
  run_sweep(a, one);
  run_sweep(b, two);
  EXPECT_EQ(read_file(one.file("sweep.csv")), read_file(two.file("sweep.csv")));
}

// The partitioner's optimum can only gain from more MRAM: a mapping feasible with fewer macros stays
// feasible with more, and no layer's CIM cost rises. Checked on nasvit_a0 and a hybrid random subnet.
TEST(Sweep, InTheOptimalSchemasMoreMacrosNeverRaiseLatency) {
  TempDir subnets;
  const std::vector<std::vector<std::string>> workloads = {{"--model", "nasvit_a0"}, {"--workload", hybrid_subnet(subnets)}};
  for (const auto& workload : workloads)
    for (const std::string schema : {"optimal", "optimal-concurrent"}) {
      SCOPED_TRACE(workload[1] + " " + schema);
      TempDir out;
      std::vector<std::string> args = workload;
      args.insert(args.end(), {"--hw", kDefaultHw, "--set", "cim.compute_units=1,4", "--set", "cim.macros=1,2,4,8,16", "--schema", schema});
      const Csv csv = run_sweep(args, out);
      ASSERT_EQ(csv.rows.size(), 10u);
      for (size_t i = 0; i < csv.rows.size(); ++i) {
        ASSERT_EQ(csv.rows[i].at("status"), "ok");
        if (i % 5 == 0) continue;  // first macro count of a compute-unit setting
        EXPECT_LE(number(csv.rows[i], "latency_ms"), number(csv.rows[i - 1], "latency_ms"))
            << "cim.compute_units=" << csv.rows[i].at("cim.compute_units") << ": cim.macros=" << csv.rows[i].at("cim.macros")
            << " is slower than cim.macros=" << csv.rows[i - 1].at("cim.macros");
      }
      // And the sweep is not flat: 16 macros buy a real reduction over 1.
      EXPECT_LT(number(csv.rows[4], "latency_ms"), 0.95 * number(csv.rows[0], "latency_ms"));
    }
}

TEST(Sweep, AFailedPointIsARowWithItsReason) {
  TempDir dir;
  write_pinned_case(dir);
  TempDir out;
  const Csv csv = run_sweep({"--workload", dir.file("fc.json"), "--hw", kDefaultHw, "--set", "cim.macros=1,4", "--schema",
                             dir.file("pin.json"), "--simulate"},
                            out);
  ASSERT_EQ(csv.rows.size(), 2u);
  const CsvRow& small = csv.rows[0];
  EXPECT_NE(small.at("status").find("'fc'"), std::string::npos) << small.at("status");
  EXPECT_NE(small.at("status").find("do not fit"), std::string::npos) << small.at("status");
  EXPECT_EQ(small.at("latency_ms"), "");
  EXPECT_EQ(small.at("latency_err_pct"), "");
  EXPECT_NE(small.at("sim_status"), "ok");
  EXPECT_FALSE(small.at("sim_status").empty());
  EXPECT_EQ(csv.rows[1].at("status"), "ok");
  EXPECT_EQ(csv.rows[1].at("cim_layers"), "1");
  const json doc = json::parse(read_file(out.file("sweep.json")));
  EXPECT_EQ(doc.at("points")[0].at("status"), small.at("status"));
  EXPECT_FALSE(doc.at("points")[0].contains("latency_ms"));
}

TEST(Sweep, EverySimulationFailingIsExitOneWithTheReasonsWritten) {
  TempDir out;
  // deit_tiny takes far longer than a millisecond to simulate.
  const RunResult r = h4h({"sweep", "--model", "deit_tiny", "--hw", kDefaultHw, "--set", "cim.macros=1,2", "--simulate",
                           "--timeout", "0.001", "--out", out.path()});
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 1) << r.describe();
  EXPECT_NE(r.err.find("2 of 2 simulations failed"), std::string::npos) << r.err;
  const Csv csv = parse_csv(read_file(out.file("sweep.csv")));
  ASSERT_EQ(csv.rows.size(), 2u);
  for (const CsvRow& row : csv.rows) {
    EXPECT_EQ(row.at("status"), "ok");
    EXPECT_NE(row.at("sim_status").find("timed out after 0.001 s"), std::string::npos) << row.at("sim_status");
    EXPECT_EQ(row.at("sim_latency_ms"), "");
  }
}

TEST(Sweep, BadInputIsExitTwoAndWritesNothing) {
  const std::vector<std::string> base = {"--model", "mobilenet_v2", "--hw", kDefaultHw};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  expect_bad_sweep(with({"--set", "cim.no_such_key=1,2"}), {"cim.no_such_key", "unknown hardware key"});
  expect_bad_sweep(with({"--set", "cim.macros="}), {"cim.macros", "empty value list"});
  expect_bad_sweep(with({"--set", "cim.macros=1,,4"}), {"cim.macros=1,,4", "empty value"});
  expect_bad_sweep(with({"--set", "cim.macros=1,4,"}), {"cim.macros=1,4,", "empty value"});
  expect_bad_sweep(with({"--set", "cim.macros=1,2", "--set", "cim.macros=4"}), {"cim.macros", "swept twice"});
  // A capacity no system can have, at any point of the sweep: nothing is evaluated.
  expect_bad_sweep(with({"--set", "cim.macros=4,0"}), {"cim.macros", "out of range"});
  expect_bad_sweep(with({"--set", "cim.subarrays_per_macro=64,-1"}), {"cim.subarrays_per_macro", "out of range"});
  expect_bad_sweep(with({"--set", "cim.macros=two"}), {"cim.macros"});
  // An NPU-only system has no CIM to sweep.
  expect_bad_sweep({"--model", "mobilenet_v2", "--hw", kU55Hw, "--set", "cim.macros=1,2"}, {"cim", "no 'cim' section"});
  expect_bad_sweep(with({"--set", "cim.macros=1,2", "--jobs", "2"}), {"--simulate"});
  expect_bad_sweep(with({"--set", "cim.macros=1,2", "--schema", "no-such-schema"}), {"no-such-schema"});
}

TEST(Sweep, ACapacityInfeasibleAtEveryPointIsBadInput) {
  TempDir dir;
  write_pinned_case(dir);
  expect_bad_sweep({"--workload", dir.file("fc.json"), "--hw", kDefaultHw, "--set", "cim.macros=1", "--set",
                    "cim.compute_units=1,2", "--schema", dir.file("pin.json"), "--simulate"},
                   {"no point can be evaluated", "cim.macros=1, cim.compute_units=1", "'fc'", "do not fit"});
}

}  // namespace
}  // namespace h4h::test
