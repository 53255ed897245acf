#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "search_fixture.h"
#include "sim/core/error.h"

namespace h4h {
namespace {

using test::tiny;

TEST(SearchRun, SameSeedSameArchiveAndAResumedRunMatchesAnUninterruptedOne) {
  const auto& truth = tiny();
  for (const std::string& strategy : strategy_names()) {
    SearchRun whole(strategy, truth.setup(7, 12), truth.oracles());
    SearchRun again(strategy, truth.setup(7, 12), truth.oracles());
    for (int g = 0; g < 5; ++g) whole.run_generation(), again.run_generation();
    EXPECT_EQ(whole.save().dump(), again.save().dump()) << strategy;

    SearchRun first(strategy, truth.setup(7, 12), truth.oracles());
    for (int g = 0; g < 2; ++g) first.run_generation();
    const std::string saved = first.save().dump();
    SearchRun resumed(strategy, truth.setup(7, 12), truth.oracles());
    resumed.load(nlohmann::json::parse(saved), "state.json");
    for (int g = 0; g < 3; ++g) resumed.run_generation();
    EXPECT_EQ(resumed.save().dump(), whole.save().dump()) << strategy;
  }
}

TEST(SearchRun, DifferentSeedsDiffer) {
  const auto& truth = tiny();
  SearchRun a("nsga2", truth.setup(1, 8), truth.oracles());
  SearchRun b("nsga2", truth.setup(2, 8), truth.oracles());
  a.run_generation(), b.run_generation();
  EXPECT_NE(a.save()["archive"].dump(), b.save()["archive"].dump());
}

TEST(SearchRun, AStateFromAnotherSearchIsRefused) {
  const auto& truth = tiny();
  SearchRun a("nsga2", truth.setup(1, 8), truth.oracles());
  a.run_generation();
  SearchRun other_seed("nsga2", truth.setup(2, 8), truth.oracles());
  EXPECT_THROW(other_seed.load(a.save(), "state.json"), InputError);
  SearchRun other_strategy("evolution", truth.setup(1, 8), truth.oracles());
  EXPECT_THROW(other_strategy.load(a.save(), "state.json"), InputError);
  SearchRun fresh("nsga2", truth.setup(1, 8), truth.oracles());
  EXPECT_THROW(fresh.load(nlohmann::json::parse(R"({"version": 2})"), "state.json"), InputError);
}

TEST(SearchRun, EveryFrontMemberMeetsTheBudgetAndNoArchiveMemberWithinBudgetDominatesIt) {
  const auto& truth = tiny();
  SearchSetup setup = truth.setup(3, 16);
  const double lo = truth.cost(smallest_arch(truth.space)).latency_ms;
  const double hi = truth.cost(largest_arch(truth.space)).latency_ms;
  setup.budgets.latency_ms = lo + 0.3 * (hi - lo);
  for (const std::string& strategy : strategy_names()) {
    SearchRun run(strategy, setup, truth.oracles());
    for (int g = 0; g < 6; ++g) run.run_generation();
    const auto front = run.front();
    ASSERT_FALSE(front.empty()) << strategy;
    size_t within = 0;
    for (const Evaluated& e : run.archive()) within += e.violation == 0;
    // Resampling toward the budget: most candidates asked for meet it.
    EXPECT_GT(double(within) / double(run.archive().size()), 0.8) << strategy;
    for (size_t i : front) {
      EXPECT_LE(run.archive()[i].scores.latency_ms, setup.budgets.latency_ms);
      const Point p = minimized(run.archive()[i].scores, setup.objectives);
      for (const Evaluated& e : run.archive()) {
        if (e.violation > 0) continue;
        const Point q = minimized(e.scores, setup.objectives);
        bool all_le = true, one_lt = false;
        for (size_t k = 0; k < p.size(); ++k) all_le = all_le && q[k] <= p[k], one_lt = one_lt || q[k] < p[k];
        EXPECT_FALSE(all_le && one_lt) << strategy;
      }
    }
    EXPECT_GT(run.history().back().best_accuracy, 0);
  }
}

TEST(SearchRun, BlockFamiliesRestrictEveryCandidate) {
  const auto& truth = tiny();
  for (BlockFamily family : {BlockFamily::CnnOnly, BlockFamily::TransformerHeavy}) {
    SearchSetup setup = truth.setup(5, 16);
    setup.family = family;
    SearchRun run("nsga2", setup, truth.oracles());
    for (int g = 0; g < 4; ++g) run.run_generation();
    for (const Evaluated& e : run.archive()) {
      EXPECT_TRUE(in_family(e.candidate.arch, truth.space, family)) << arch_key(e.candidate.arch);
      const int t = e.candidate.arch.transformer_blocks();
      if (family == BlockFamily::CnnOnly) {
        EXPECT_EQ(t, 0);
      }
    }
  }
}

TEST(SearchRun, HypervolumeNeverFallsAndEvaluationsAreCountedOnce) {
  const auto& truth = tiny();
  SearchRun run("nsga2", truth.setup(9, 16), truth.oracles());
  for (int g = 0; g < 8; ++g) run.run_generation();
  for (size_t g = 1; g < run.history().size(); ++g)
    EXPECT_GE(run.history()[g].hypervolume, run.history()[g - 1].hypervolume);
  EXPECT_EQ(size_t(run.accuracy_evaluations()), run.archive().size());
}

}  // namespace
}  // namespace h4h
