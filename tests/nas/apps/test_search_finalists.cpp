// The order in which a search promotes its candidates to finalists: only candidates within budget,
// front by front, the most accurate first within a front (without the binary or a supernet).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "nas/apps/search_finalists.h"
#include "tests/nas/search/search_fixture.h"

namespace h4h {
namespace {

TEST(SearchFinalists, PromotionIsFrontByFrontMostAccurateFirstAndWithinBudgetOnly) {
  const test::TinyOracles& tiny = test::tiny();
  const double lo = tiny.cost(smallest_arch(tiny.space)).latency_ms, hi = tiny.cost(largest_arch(tiny.space)).latency_ms;
  SearchSetup setup = tiny.setup(3, 12);
  setup.budgets.latency_ms = lo + 0.05 * (hi - lo);
  SearchRun run("nsga2", setup, tiny.oracles());
  for (int g = 0; g < 3; ++g) run.run_generation();

  const std::vector<size_t> order = promotion_order(run);
  std::vector<size_t> feasible;
  std::vector<Point> points;
  for (size_t i = 0; i < run.archive().size(); ++i)
    if (run.archive()[i].violation == 0) {
      feasible.push_back(i);
      points.push_back(minimized(run.archive()[i].scores, setup.objectives));
    }
  ASSERT_FALSE(feasible.empty());
  ASSERT_LT(feasible.size(), run.archive().size()) << "the budget should leave some candidates out";
  EXPECT_EQ(std::set<size_t>(order.begin(), order.end()), std::set<size_t>(feasible.begin(), feasible.end()));
  EXPECT_EQ(order.size(), feasible.size());

  std::map<size_t, size_t> front_of;  // archive index -> front rank
  const std::vector<std::vector<size_t>> fronts = nondominated_fronts(points);
  for (size_t f = 0; f < fronts.size(); ++f)
    for (size_t k : fronts[f]) front_of[feasible[k]] = f;
  for (size_t n = 1; n < order.size(); ++n) {
    const size_t a = order[n - 1], b = order[n];
    ASSERT_LE(front_of[a], front_of[b]) << "position " << n;
    if (front_of[a] == front_of[b]) EXPECT_GE(run.archive()[a].scores.accuracy, run.archive()[b].scores.accuracy);
  }
}

}  // namespace
}  // namespace h4h
