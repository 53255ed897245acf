// Search quality against the enumerated truth of a small space (issue 6): the search reaches 98% of
// the true front's hypervolume with at most 5% of the evaluations, and beats random search at equal
// evaluations in at least 9 of 10 seeds.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <unordered_set>

#include "search_fixture.h"
#include "sim/core/error.h"

namespace h4h {
namespace {

using test::ground_truth;

// Hypervolume of the front of the first `evaluations` candidates a search scores (in this space
// without hardware genes, every archive entry is one accuracy evaluation).
double hypervolume_after(const std::string& strategy, uint64_t seed, int population, int64_t evaluations) {
  SearchRun run(strategy, test::tiny().setup(seed, population), test::tiny().oracles(), ground_truth().reference);
  while (run.accuracy_evaluations() < evaluations) run.run_generation();
  return run.hypervolume_at(size_t(evaluations));
}

TEST(SearchQuality, EnumeratedSpaceHasTheExpectedSize) {
  const SearchSpace space = parse_search_space(test::kTinySpaceYaml, "tiny-enum.yaml");
  const std::vector<ArchConfig> archs = enumerate_archs(space);
  EXPECT_EQ(archs.size(), 20u * 28u * 28u);
  std::unordered_set<std::string> keys;
  for (const ArchConfig& a : archs) {
    validate_arch(a, space);
    keys.insert(arch_key(a));
  }
  EXPECT_EQ(keys.size(), archs.size());
  EXPECT_THROW(enumerate_archs(space, 1000), InputError);
}

TEST(SearchQuality, Nsga2Reaches98PercentOfTheTrueHypervolumeWithFivePercentOfTheEvaluations) {
  const auto& truth = ground_truth();
  const int64_t budget = int64_t(truth.archs.size()) * 5 / 100;
  for (uint64_t seed : {1, 2, 3}) {
    const double hv = hypervolume_after("nsga2", seed, 32, budget);
    EXPECT_GE(hv / truth.true_hypervolume, 0.98) << "seed " << seed << ": " << budget << " evaluations";
    fmt::print("seed {}: {} evaluations ({:.1f}% of {}): hypervolume {:.4f} of the true front's\n", seed, budget,
               100.0 * double(budget) / double(truth.archs.size()), truth.archs.size(), hv / truth.true_hypervolume);
  }
}

TEST(SearchQuality, Nsga2BeatsRandomSearchAtEqualEvaluationsInNineOfTenSeeds) {
  const auto& truth = ground_truth();
  const int64_t budget = int64_t(truth.archs.size()) * 5 / 100;
  int wins = 0;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    const double searched = hypervolume_after("nsga2", seed, 32, budget);
    const double random = hypervolume_after("random", seed, 32, budget);
    wins += searched > random;
    fmt::print("seed {}: {} evaluations: nsga2 {:.4f}, random {:.4f} of the true hypervolume\n", seed, budget,
               searched / truth.true_hypervolume, random / truth.true_hypervolume);
  }
  EXPECT_GE(wins, 9);
}

}  // namespace
}  // namespace h4h
