#include <gtest/gtest.h>

#include <cmath>

#include "nas/search/pareto.h"

namespace h4h {
namespace {

TEST(Pareto, FrontsOrderNonDominatedSets) {
  const std::vector<Point> p{{1, 4}, {2, 2}, {4, 1}, {3, 3}, {5, 5}, {2, 2}};
  const auto fronts = nondominated_fronts(p);
  ASSERT_EQ(fronts.size(), 3u);
  EXPECT_EQ(pareto_front(p), (std::vector<size_t>{0, 1, 2, 5}));
  EXPECT_EQ(fronts[1], (std::vector<size_t>{3}));
  EXPECT_EQ(fronts[2], (std::vector<size_t>{4}));
}

TEST(Pareto, HypervolumeOfAStaircase) {
  // Three points under reference (5, 5): 4x1 + 3x2 ... union of [x,5]x[y,5] boxes.
  const std::vector<Point> p{{1, 4}, {2, 2}, {4, 1}};
  EXPECT_DOUBLE_EQ(hypervolume(p, {5, 5}), 4 * 1 + 3 * 2 + 1 * 1);
  // A dominated point and one outside the reference change nothing.
  EXPECT_DOUBLE_EQ(hypervolume({{1, 4}, {2, 2}, {4, 1}, {3, 3}, {6, 0.5}}, {5, 5}), 11);
  EXPECT_DOUBLE_EQ(hypervolume({}, {5, 5}), 0);
  EXPECT_DOUBLE_EQ(hypervolume({{5, 1}}, {5, 5}), 0);
  EXPECT_DOUBLE_EQ(hypervolume({{1, 1, 1}}, {2, 3, 4}), 1 * 2 * 3);
}

TEST(Pareto, CrowdingIsInfiniteAtTheExtremes) {
  const std::vector<Point> front{{1, 4}, {2, 2}, {4, 1}};
  const auto d = crowding_distances(front);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_TRUE(std::isinf(d[0]));
  EXPECT_TRUE(std::isinf(d[2]));
  EXPECT_GT(d[1], 0);
  EXPECT_FALSE(std::isinf(d[1]));
  EXPECT_TRUE(std::isinf(crowding_distances({{1, 2}, {2, 1}})[1]));
}

}  // namespace
}  // namespace h4h
