// The search job's own checks, without the binary or a trained supernet: a budget below what any
// candidate reaches is refused naming the parameter (the budget floor), out-of-range options name
// their field, and every co-search gene value must be a valid hardware setting.
#include <gtest/gtest.h>

#include "nas/apps/search_budget.h"
#include "nas/apps/search_options.h"
#include "tests/nas/apps/error_of.h"
#include "tests/nas/search/search_fixture.h"

namespace h4h {
namespace {

const std::string kHw = test::source_dir() + "/hwconfigs/h4h-default.yaml";

TEST(SearchBudget, ABudgetBelowTheAchievableFloorIsRefusedNamingTheParameter) {
  const SearchSpace& space = test::tiny().space;
  EstimatedCost cost(space, kHw, {});
  const BudgetFloor floor = achievable_floor(space, BlockFamily::Hybrid, {}, cost);
  ASSERT_LT(floor.latency_ms, 1e300);
  ASSERT_LT(floor.energy_uj, 1e300);
  EXPECT_LE(floor.latency_ms, cost(Candidate{smallest_arch(space), {}}).latency_ms);

  Budgets budgets;
  budgets.latency_ms = floor.latency_ms / 2;
  const ParameterError latency = test::parameter_error_of([&] { check_budgets(budgets, floor, kHw); });
  EXPECT_EQ(latency.parameter(), "latency_ms");
  EXPECT_NE(latency.detail().find("smallest achievable latency"), std::string::npos) << latency.what();
  EXPECT_NE(latency.detail().find(floor.latency_where), std::string::npos) << latency.what();
  EXPECT_NE(latency.detail().find(kHw), std::string::npos) << latency.what();

  budgets = Budgets{};
  budgets.energy_uj = floor.energy_uj / 2;
  const ParameterError energy = test::parameter_error_of([&] { check_budgets(budgets, floor, kHw); });
  EXPECT_EQ(energy.parameter(), "energy_uj");
  EXPECT_NE(energy.detail().find("smallest achievable energy"), std::string::npos) << energy.what();

  // Budgets at the floor, and no budgets, are feasible.
  budgets.latency_ms = floor.latency_ms, budgets.energy_uj = floor.energy_uj;
  EXPECT_NO_THROW(check_budgets(budgets, floor, kHw));
  EXPECT_NO_THROW(check_budgets(Budgets{}, floor, kHw));
}

TEST(SearchBudget, TheMacroFloorIsTheSmallestGeneSetting) {
  const SearchSpace& space = test::tiny().space;
  EstimatedCost cost(space, kHw, {});
  GeneRanges genes;
  genes.cim_macros = {2, 4};
  const BudgetFloor floor = achievable_floor(space, BlockFamily::Hybrid, genes, cost);
  EXPECT_EQ(floor.cim_macros, 2);
  Budgets budgets;
  budgets.cim_macros = 1;
  const ParameterError e = test::parameter_error_of([&] { check_budgets(budgets, floor, kHw); });
  EXPECT_EQ(e.parameter(), "max_macros");
  EXPECT_EQ(e.value(), "1");
  EXPECT_NE(e.detail().find("at least 2 CIM macros"), std::string::npos) << e.what();
}

TEST(SearchBudget, AGeneValueThatIsNoHardwareSettingIsRefused) {
  EstimatedCost cost(test::tiny().space, kHw, {});
  GeneRanges genes;
  genes.cim_macros = {5000};  // beyond the 4096 a hardware file may set
  try {
    check_genes(cost, genes);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cim.macros"), std::string::npos) << e.what();
  }
}

TEST(SearchOptions, OutOfRangeOptionsNameTheirField) {
  EXPECT_NO_THROW(check_search_options(SearchJobOptions{}));
  const auto field_of = [](void (*change)(SearchJobOptions&)) {
    SearchJobOptions o;
    change(o);
    return test::parameter_error_of([&] { check_search_options(o); }).parameter();
  };
  EXPECT_EQ(field_of([](SearchJobOptions& o) { o.generations = 0; }), "generations");
  EXPECT_EQ(field_of([](SearchJobOptions& o) { o.finalists = 0; }), "finalists");
  EXPECT_EQ(field_of([](SearchJobOptions& o) { o.latency_ms = -1; }), "latency_ms");
  EXPECT_EQ(field_of([](SearchJobOptions& o) { o.energy_uj = -1; }), "energy_uj");
  EXPECT_EQ(field_of([](SearchJobOptions& o) { o.max_macros = -1; }), "max_macros");
}

}  // namespace
}  // namespace h4h
