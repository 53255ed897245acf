// CostReport JSON: report_from_json is the inverse of report_to_json for everything a CostReport
// holds, and a malformed document is an InputError naming the key.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/core/cost_report.h"
#include "sim/core/error.h"
#include "sim/core/workload_json.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

using nlohmann::json;

const char* kTiny = R"({"version": 1, "name": "tiny", "precision": {"weights": 8, "activations": 8},
 "layers": [
  {"name": "stem", "op": "conv2d", "input": [32, 32, 3], "out_channels": 16, "kernel": [3, 3], "stride": [2, 2]},
  {"name": "dw1", "op": "depthwise_conv2d", "input": [16, 16, 16], "kernel": [3, 3], "stride": [1, 1]},
  {"name": "qkv", "op": "linear", "tokens": 64, "in_features": 16, "out_features": 48}
 ]})";

// Every field distinct and not round, so a swapped or dropped field shows.
CostReport hand_made_report(const Workload& w) {
  CostReport r;
  r.evaluator = "systemc";
  int64_t seed = 11;
  // Below 2^40 (beyond 32 bits), so that sums over the layers cannot overflow.
  auto next = [&seed] { return seed = (seed * 7 + 3) % 1000000000039; };
  for (size_t i = 0; i < w.layers.size(); ++i) {
    LayerCost c;
    c.layer = static_cast<int>(i);
    c.placement.npu_fraction = i == 0 ? 1.0 : i == 1 ? 0.0 : 0.375;
    c.macs = next();
    c.compute_cycles = next();
    c.start_cycle = next();
    c.cycles = next();
    c.end_cycle = c.start_cycle + c.cycles;
    c.npu_cycles = next();
    c.cim_cycles = next();
    c.utilization = 0.1 + 0.123456789 * double(i);
    c.stalls = StallCycles{next(), next(), next(), next()};
    for (const ActionKind& k : kActionKinds) c.actions.*k.count = next();  // distinct values: a swap shows
    for (const EnergyComponent& k : kEnergyComponents) c.energy.*k.pj = double(next()) / 9 + 1e-3 / double(i + 1);
    r.layers.push_back(c);
    r.actions += c.actions;
    r.energy += c.energy;
    r.total_cycles = std::max(r.total_cycles, c.end_cycle);
  }
  r.static_energy_pj = 12345.678901234;
  r.npu_busy_cycles = next();
  r.cim_busy_cycles = next();
  return r;
}

void expect_same_actions(const ActionCounts& a, const ActionCounts& b) {
  for (const ActionKind& k : kActionKinds) EXPECT_EQ(a.*k.count, b.*k.count) << k.name;
}

void expect_same_energy(const EnergyBreakdown& a, const EnergyBreakdown& b) {
  // exact: the JSON keeps doubles to the last bit
  for (const EnergyComponent& k : kEnergyComponents) EXPECT_EQ(a.*k.pj, b.*k.pj) << k.name;
}

class CostReportJson : public ::testing::Test {
 protected:
  Workload w = parse_workload(kTiny, "tiny.json");
  HardwareSpec hw = load_hardware(test::source_dir() + "/hwconfigs/h4h-default.yaml");
  Mapping mapping = [this] {
    Mapping m = mapping_all(w, Unit::Npu, "test");
    m.layers[1].npu_fraction = 0;
    m.layers[2].npu_fraction = 0.375;
    return m;
  }();
};

TEST_F(CostReportJson, RoundTripsEveryField) {
  const CostReport r = hand_made_report(w);
  // Through text, as between a child process and its parent.
  const json doc = json::parse(report_to_json(r, w, hw, mapping).dump());
  const CostReport back = report_from_json(doc, w);
  EXPECT_EQ(back.evaluator, "systemc");
  EXPECT_EQ(back.total_cycles, r.total_cycles);
  EXPECT_EQ(back.static_energy_pj, r.static_energy_pj);
  EXPECT_EQ(back.npu_busy_cycles, r.npu_busy_cycles);
  EXPECT_EQ(back.cim_busy_cycles, r.cim_busy_cycles);
  expect_same_actions(back.actions, r.actions);
  expect_same_energy(back.energy, r.energy);
  EXPECT_EQ(back.energy_pj(), r.energy_pj());
  ASSERT_EQ(back.layers.size(), r.layers.size());
  for (size_t i = 0; i < r.layers.size(); ++i) {
    SCOPED_TRACE(w.layers[i].name);
    const LayerCost &a = back.layers[i], &b = r.layers[i];
    EXPECT_EQ(a.layer, b.layer);
    EXPECT_EQ(a.placement.npu_fraction, b.placement.npu_fraction);
    EXPECT_EQ(a.macs, b.macs);
    EXPECT_EQ(a.compute_cycles, b.compute_cycles);
    EXPECT_EQ(a.cycles, b.cycles);
    EXPECT_EQ(a.start_cycle, b.start_cycle);
    EXPECT_EQ(a.end_cycle, b.end_cycle);
    EXPECT_EQ(a.npu_cycles, b.npu_cycles);
    EXPECT_EQ(a.cim_cycles, b.cim_cycles);
    EXPECT_EQ(a.utilization, b.utilization);
    EXPECT_EQ(a.stalls.memory, b.stalls.memory);
    EXPECT_EQ(a.stalls.bank_conflict, b.stalls.bank_conflict);
    EXPECT_EQ(a.stalls.dependency, b.stalls.dependency);
    EXPECT_EQ(a.stalls.weight_programming, b.stalls.weight_programming);
    expect_same_actions(a.actions, b.actions);
    expect_same_energy(a.energy, b.energy);
  }
  // And the document itself is a fixed point.
  EXPECT_EQ(report_to_json(back, w, hw, mapping), doc);
}

// Expects report_from_json to throw an InputError whose message contains `fragment`.
void expect_error(const json& doc, const Workload& w, const std::string& fragment) {
  try {
    report_from_json(doc, w);
    FAIL() << "no error; expected " << fragment;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST_F(CostReportJson, MalformedDocumentsNameTheKey) {
  const json good = report_to_json(hand_made_report(w), w, hw, mapping);
  json d = good;
  d["total"].erase("cycles");
  expect_error(d, w, "total.cycles: missing");
  d = good;
  d["total"]["energy_breakdown_pj"].erase("static");
  expect_error(d, w, "total.energy_breakdown_pj.static");
  d = good;
  d["layers"][1]["actions"]["cim_macs"] = "many";
  expect_error(d, w, "layers[1].actions.cim_macs: expected an integer");
  d = good;
  d["layers"][2]["name"] = "other";
  expect_error(d, w, "layers[2].name");
  d = good;
  d["layers"].erase(0);
  expect_error(d, w, "2 layers, but workload tiny has 3");
  d = good;
  d["layers"][0]["npu_fraction"] = 1.5;
  expect_error(d, w, "layers[0].npu_fraction");
  expect_error(json::array(), w, "expected an object");
  d = good;
  d.erase("evaluator");
  expect_error(d, w, "evaluator: missing");
}

TEST_F(CostReportJson, CsvHasOneRowPerLayerAndEveryStallColumn) {
  const std::string csv = report_to_csv(hand_made_report(w), w);
  const std::string header = csv.substr(0, csv.find('\n'));
  for (const char* column : {"name", "cycles", "stall_memory", "stall_bank_conflict", "stall_dependency",
                             "stall_weight_programming", "npu_cycles", "cim_cycles"})
    EXPECT_NE(header.find(column), std::string::npos) << column;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
  const size_t columns = std::count(header.begin(), header.end(), ',');
  for (size_t pos = csv.find('\n') + 1; pos < csv.size();) {
    const size_t eol = csv.find('\n', pos);
    const std::string row = csv.substr(pos, eol - pos);
    EXPECT_EQ(size_t(std::count(row.begin(), row.end(), ',')), columns) << row;
    pos = eol + 1;
  }
}

}  // namespace
}  // namespace h4h
