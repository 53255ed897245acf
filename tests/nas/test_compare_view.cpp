// Estimator vs simulator comparison (compare_view.h) on hand-made reports: relative errors, the
// worst-first ranking, --top, action-count mismatches, and the JSON form.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nas/cli/compare_view.h"
#include "sim/core/workload_json.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

using nlohmann::json;

const char* kChain = R"({"version": 1, "name": "chain", "layers": [
  {"name": "a", "op": "conv2d", "input": [16, 16, 8], "out_channels": 8, "kernel": [3, 3]},
  {"name": "b", "op": "conv2d", "input": [16, 16, 8], "out_channels": 8, "kernel": [1, 1]},
  {"name": "c", "op": "relu", "input": [16, 16, 8]}]})";

CostReport report(const std::string& evaluator, std::vector<int64_t> cycles, std::vector<double> energy_pj) {
  CostReport r;
  r.evaluator = evaluator;
  int64_t t = 0;
  for (size_t i = 0; i < cycles.size(); ++i) {
    LayerCost c;
    c.layer = static_cast<int>(i);
    c.start_cycle = t;
    c.cycles = cycles[i];
    c.end_cycle = t += cycles[i];
    c.energy.mac_pj = energy_pj[i];
    c.actions.npu_macs = 1000 * int64_t(i + 1);
    c.actions.sram_read_bytes = 64;
    r.actions += c.actions;
    r.energy += c.energy;
    r.layers.push_back(c);
  }
  r.total_cycles = t;
  r.npu_busy_cycles = t;
  r.static_energy_pj = 10;
  return r;
}

class CompareView : public ::testing::Test {
 protected:
  Workload w = parse_workload(kChain, "chain.json");
  HardwareSpec hw = load_hardware(test::source_dir() + "/hwconfigs/ethos-u55-256.yaml");
  Mapping mapping = mapping_all(w, Unit::Npu, "npu-only");
};

TEST(Compared, RelativeErrorTakesTheSimulatorAsReference) {
  EXPECT_DOUBLE_EQ(*(Compared{110, 100}).rel_error(), 0.1);
  EXPECT_DOUBLE_EQ(*(Compared{50, 100}).rel_error(), -0.5);
  EXPECT_DOUBLE_EQ(*(Compared{0, 0}).rel_error(), 0.0);
  EXPECT_FALSE((Compared{5, 0}).rel_error().has_value());
}

TEST_F(CompareView, RanksLayersByAbsoluteCycleErrorAndKeepsNetworkOrderOnTies) {
  // |errors|: a 10 (10%), b 50 (5%), c 10 (100%)
  const CostReport est = report("analytical", {110, 1050, 20}, {1, 2, 3});
  const CostReport sim = report("systemc", {100, 1000, 10}, {1, 2, 3});
  const Comparison c = compare_reports(est, sim, w, hw);
  ASSERT_EQ(c.layers.size(), 3u);
  EXPECT_EQ(c.layers[0].layer, 1);
  EXPECT_EQ(c.layers[1].layer, 0);
  EXPECT_EQ(c.layers[2].layer, 2);
  EXPECT_DOUBLE_EQ(*c.layers[2].cycles.rel_error(), 1.0);
  EXPECT_DOUBLE_EQ(*c.cycles.rel_error(), (1180.0 - 1110.0) / 1110.0);
  EXPECT_DOUBLE_EQ(*c.energy_pj.rel_error(), 0.0);
  EXPECT_TRUE(c.differing_actions.empty());
}

TEST_F(CompareView, ListsActionCountsThatDiffer) {
  const CostReport est = report("analytical", {10, 10, 10}, {1, 2, 3});
  CostReport sim = est;
  sim.layers[2].actions.sram_read_bytes += 1;
  sim.actions.sram_read_bytes += 1;
  const Comparison c = compare_reports(est, sim, w, hw);
  EXPECT_EQ(c.differing_actions, std::vector<std::string>{"sram_read_bytes"});
  for (const LayerComparison& l : c.layers)
    EXPECT_EQ(l.differing_actions.empty(), l.layer != 2) << l.layer;
  const std::string table = render_comparison_table(c, w, hw, mapping, 0);
  EXPECT_NE(table.find("DIFFER in total: sram_read_bytes"), std::string::npos) << table;
  EXPECT_NE(table.find("  c: sram_read_bytes"), std::string::npos) << table;
}

TEST_F(CompareView, JsonCarriesEveryLayerOrTheTopN) {
  const Comparison c = compare_reports(report("analytical", {110, 1050, 20}, {1, 2, 0}),
                                       report("systemc", {100, 1000, 10}, {1, 2, 0}), w, hw);
  const json all = comparison_to_json(c, w, hw, mapping, 0);
  ASSERT_EQ(all.at("layers").size(), 3u);
  EXPECT_EQ(all.at("layers_total"), 3);
  EXPECT_EQ(all.at("layers")[0].at("name"), "b");
  EXPECT_EQ(all.at("layers")[0].at("index"), 1);
  EXPECT_EQ(all.at("layers")[0].at("cycles").at("estimated"), 1050.0);
  EXPECT_EQ(all.at("layers")[0].at("cycles").at("simulated"), 1000.0);
  EXPECT_DOUBLE_EQ(all.at("layers")[0].at("cycles").at("rel_error").get<double>(), 0.05);
  EXPECT_EQ(all.at("layers")[2].at("energy_pj").at("rel_error"), 0.0);  // 0 vs 0
  EXPECT_TRUE(all.at("total").at("actions_match").get<bool>());
  EXPECT_TRUE(all.at("total").at("energy_breakdown_pj").contains("static"));
  EXPECT_EQ(all.at("ranking"), "abs_cycle_error");
  const json top = comparison_to_json(c, w, hw, mapping, 2);
  ASSERT_EQ(top.at("layers").size(), 2u);
  EXPECT_EQ(top.at("layers")[1].at("name"), "a");
  EXPECT_EQ(top.at("total"), all.at("total"));  // the totals always cover the network
  // An undefined error is null, and the table says n/a.
  const Comparison zero = compare_reports(report("analytical", {5, 0, 0}, {0, 0, 0}),
                                          report("systemc", {0, 0, 0}, {0, 0, 0}), w, hw);
  EXPECT_TRUE(comparison_to_json(zero, w, hw, mapping, 0).at("layers")[0].at("cycles").at("rel_error").is_null());
  EXPECT_NE(render_comparison_table(zero, w, hw, mapping, 0).find("n/a"), std::string::npos);
}

TEST_F(CompareView, TableShowsTheWorstLayersFirstAndSaysHowManyItKept) {
  const Comparison c = compare_reports(report("analytical", {110, 1050, 20}, {1, 2, 3}),
                                       report("systemc", {100, 1000, 10}, {1, 2, 3}), w, hw);
  const std::string table = render_comparison_table(c, w, hw, mapping, 1);
  EXPECT_NE(table.find("(1 of 3)"), std::string::npos) << table;
  EXPECT_NE(table.find("+5.0"), std::string::npos) << table;
  EXPECT_EQ(table.find("+100.0"), std::string::npos) << table;  // layer c is not among the top 1
  EXPECT_NE(table.find("npu busy cycles"), std::string::npos) << table;
}

}  // namespace
}  // namespace h4h
