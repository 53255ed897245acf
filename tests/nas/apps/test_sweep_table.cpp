// Unit tests of the sweep's grid and table: value lists, the cartesian order, CSV quoting and the
// simulated columns.
#include <gtest/gtest.h>

#include "nas/apps/sweep_grid.h"
#include "nas/apps/sweep_table.h"
#include "sim/core/error.h"

namespace h4h {
namespace {

TEST(SweepGrid, ParsesValueListsAndRejectsEmptyItems) {
  const SweepAxis a = parse_sweep_axis("cim.macros=1,2,16");
  EXPECT_EQ(a.key, "cim.macros");
  EXPECT_EQ(a.values, (std::vector<std::string>{"1", "2", "16"}));
  EXPECT_EQ(parse_sweep_axis("npu.engine=systolic").values, std::vector<std::string>{"systolic"});
  for (const char* bad : {"cim.macros=", "cim.macros=,", "cim.macros=1,", "cim.macros=,1", "cim.macros=1,,2", "cim.macros", "=1,2"})
    EXPECT_THROW(parse_sweep_axis(bad), InputError) << bad;
  EXPECT_THROW(parse_sweep_axes({"cim.macros=1", "cim.compute_units=1", "cim.macros=2"}), InputError);
}

TEST(SweepGrid, PointsAreTheCartesianProductLastAxisFastest) {
  const auto points = sweep_points(parse_sweep_axes({"a=1,2", "b=x,y,z"}));
  ASSERT_EQ(points.size(), 6u);
  EXPECT_EQ(points[0], (std::vector<Override>{{"a", "1"}, {"b", "x"}}));
  EXPECT_EQ(points[2], (std::vector<Override>{{"a", "1"}, {"b", "z"}}));
  EXPECT_EQ(points[3], (std::vector<Override>{{"a", "2"}, {"b", "x"}}));
}

TEST(SweepTable, QuotesReasonsAndLeavesFailedFiguresEmpty) {
  EXPECT_EQ(csv_field("ok"), "ok");
  EXPECT_EQ(csv_field("layer 'fc', too big"), "\"layer 'fc', too big\"");
  EXPECT_EQ(csv_field("say \"no\""), "\"say \"\"no\"\"\"");

  SweepRow good;
  good.settings = {{"cim.macros", "4"}};
  good.estimated = {true, "ok", 1000, 2.0, 3.0};
  good.cim_layers = 7;
  good.simulated = SweepFigures{true, "ok", 1010, 2.5, 2.0};
  SweepRow bad;
  bad.settings = {{"cim.macros", "1"}};
  bad.estimated = {false, "weights do not fit, layer \"fc\""};
  bad.simulated = SweepFigures{false, "timed out"};

  EXPECT_EQ(sweep_csv({"cim.macros"}, {good, bad}, false),
            "cim.macros,cycles,latency_ms,energy_uj,edp_uj_ms,cim_layers,status\n"
            "4,1000,2.000000,3.0000,6.000000,7,ok\n"
            "1,,,,,,\"weights do not fit, layer \"\"fc\"\"\"\n");
  const std::string with_sim = sweep_csv({"cim.macros"}, {good, bad}, true);
  EXPECT_NE(with_sim.find("4,1000,2.000000,3.0000,6.000000,7,ok,1010,2.500000,2.0000,5.000000,-20.0000,50.0000,ok\n"),
            std::string::npos)
      << with_sim;
  EXPECT_NE(with_sim.find(",,,,,,,timed out\n"), std::string::npos) << with_sim;

  const nlohmann::json j = sweep_row_json(good);
  EXPECT_DOUBLE_EQ(j.at("simulated").at("latency_error_pct").get<double>(), -20.0);
  EXPECT_DOUBLE_EQ(j.at("simulated").at("energy_error_pct").get<double>(), 50.0);
  EXPECT_FALSE(sweep_row_json(bad).contains("cycles"));
  EXPECT_FALSE(sweep_row_json(bad).at("simulated").contains("latency_error_pct"));
}

}  // namespace
}  // namespace h4h
