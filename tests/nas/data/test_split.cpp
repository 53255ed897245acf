// Validation / test carving: disjoint, complete, stratified, reproducible.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "nas/data/split.h"

namespace h4h::data {
namespace {

std::vector<int64_t> skewed_labels() {  // 3 classes of 500, 300, 200 samples, interleaved
  std::vector<int64_t> labels;
  for (int i = 0; i < 1000; ++i) labels.push_back(i % 10 < 5 ? 0 : i % 10 < 8 ? 1 : 2);
  return labels;
}

TEST(Split, DisjointCompleteSorted) {
  auto labels = skewed_labels();
  SplitIndices s = carve_split(labels, 3, 137, 42);
  EXPECT_EQ(s.held_out.size(), 137u);
  EXPECT_EQ(s.kept.size(), 863u);
  EXPECT_TRUE(std::is_sorted(s.kept.begin(), s.kept.end()));
  EXPECT_TRUE(std::is_sorted(s.held_out.begin(), s.held_out.end()));
  std::set<size_t> all(s.kept.begin(), s.kept.end());
  for (size_t i : s.held_out) EXPECT_TRUE(all.insert(i).second) << "index " << i << " in both parts";
  EXPECT_EQ(all.size(), 1000u);
  EXPECT_EQ(*all.rbegin(), 999u);
}

TEST(Split, StratifiedByLargestRemainder) {
  auto labels = skewed_labels();
  SplitIndices s = carve_split(labels, 3, 137, 1);
  std::vector<int> per_class(3, 0);
  for (size_t i : s.held_out) ++per_class[static_cast<size_t>(labels[i])];
  // Shares 68.5, 41.1, 27.4: floors 68 + 41 + 27 = 136, the largest remainder (class 0) takes the last.
  EXPECT_EQ(per_class, (std::vector<int>{69, 41, 27}));
}

TEST(Split, ReproducibleAndSeeded) {
  auto labels = skewed_labels();
  SplitIndices a = carve_split(labels, 3, 100, 7), b = carve_split(labels, 3, 100, 7);
  SplitIndices c = carve_split(labels, 3, 100, 8);
  EXPECT_EQ(a.held_out, b.held_out);
  EXPECT_EQ(a.kept, b.kept);
  EXPECT_NE(a.held_out, c.held_out);
  // Pinned: the carve must not change between versions or platforms, or saved runs would see other data.
  EXPECT_EQ(std::vector<size_t>(a.held_out.begin(), a.held_out.begin() + 5), (std::vector<size_t>{2, 4, 16, 19, 54}));
}

TEST(Split, Edges) {
  auto labels = skewed_labels();
  EXPECT_TRUE(carve_split(labels, 3, 0, 1).held_out.empty());
  EXPECT_EQ(carve_split(labels, 3, 1000, 1).held_out.size(), 1000u);
  EXPECT_THROW(carve_split(labels, 3, 1001, 1), std::invalid_argument);
  EXPECT_THROW(carve_split({0, 3}, 3, 1, 1), std::invalid_argument);
  // A one-sample class: shares 0.9 and 8.1 round to 1 and 8.
  std::vector<int64_t> tiny = {1, 1, 1, 1, 0, 1, 1, 1, 1, 1};
  SplitIndices s = carve_split(tiny, 2, 9, 3);
  ASSERT_EQ(s.held_out.size(), 9u);
  EXPECT_EQ(s.kept.size(), 1u);
  EXPECT_EQ(tiny[s.kept[0]], 1);
}

}  // namespace
}  // namespace h4h::data
