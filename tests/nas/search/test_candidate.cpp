#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/space/sampling.h"
#include "nas/search/candidate.h"
#include "nas/search/objectives.h"
#include "search_fixture.h"
#include "sim/core/error.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

TEST(GeneRanges, ParsesRangesAndSingleValues) {
  const GeneRanges g = parse_gene_ranges("cim.macros=1..4,cim.compute_units=2");
  EXPECT_EQ(g.cim_macros, (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(g.cim_compute_units, (std::vector<int>{2}));
  EXPECT_FALSE(parse_gene_ranges("").any());
}

TEST(GeneRanges, RejectsBadItems) {
  for (const char* bad : {"cim.macros", "cim.banks=1..2", "cim.macros=0..2", "cim.macros=4..2", "cim.macros=x",
                          "cim.macros=1..2,cim.macros=3", "cim.macros=1..", "cim.macros=1..2,"})
    EXPECT_THROW(parse_gene_ranges(bad), InputError) << bad;
}

TEST(Objectives, ParsesListsAndRejectsUnknownOrMissingAccuracy) {
  EXPECT_EQ(parse_objectives("acc,latency,energy").size(), 3u);
  EXPECT_EQ(parse_objectives("latency,acc")[1], SearchObjective::Accuracy);
  for (const char* bad : {"acc,speed", "latency,energy", "acc,acc", "", "acc,"})
    EXPECT_THROW(parse_objectives(bad), InputError) << bad;
}

TEST(Objectives, ViolationIsZeroWithinBudgetAndRelativeOutside) {
  Scores s;
  s.latency_ms = 2, s.energy_uj = 10, s.cim_macros = 8;
  Budgets b;
  EXPECT_EQ(budget_violation(s, b), 0);
  b.latency_ms = 2;
  EXPECT_EQ(budget_violation(s, b), 0);
  b.latency_ms = 1, b.cim_macros = 4;
  EXPECT_DOUBLE_EQ(budget_violation(s, b), 1.0 + 1.0);
  s.hw_ok = false;
  EXPECT_EQ(budget_violation(s, b), kUnrunnable);
  EXPECT_EQ(minimized(s, {SearchObjective::Accuracy, SearchObjective::Macros}), (std::vector<double>{1.0, 8.0}));
}

TEST(Candidate, JsonRoundTripWithGenes) {
  const SearchSpace space = parse_search_space(test::kTinySpaceYaml, "tiny.yaml");
  Rng rng(3);
  Candidate c{random_arch(space, rng), HwGenes{8, 2}};
  const nlohmann::json j = candidate_to_json(c, space);
  const Candidate back = candidate_from_json(j, space, "c.json");
  EXPECT_EQ(back.arch, c.arch);
  EXPECT_EQ(back.hw, c.hw);
  EXPECT_EQ(candidate_key(back), candidate_key(c));
  EXPECT_NE(candidate_key(c), arch_key(c.arch));
  EXPECT_EQ(candidate_key(Candidate{c.arch, {}}), arch_key(c.arch));
  nlohmann::json bad = j;
  bad["cim.macros"] = 0;
  EXPECT_THROW(candidate_from_json(bad, space, "c.json"), InputError);
}

TEST(Candidate, GenesChangeTheEstimatedSystem) {
  const SearchSpace space = parse_search_space(test::kTinySpaceYaml, "tiny.yaml");
  EstimatedCost cost(space, test::source_dir() + "/hwconfigs/h4h-default.yaml", {});
  const Candidate base{largest_arch(space), {}};
  const Scores s0 = cost(base);
  ASSERT_TRUE(s0.hw_ok) << s0.hw_error;
  const Scores s1 = cost(Candidate{base.arch, HwGenes{1, 1}});
  ASSERT_TRUE(s1.hw_ok) << s1.hw_error;
  EXPECT_EQ(s1.cim_macros, 1);
  EXPECT_NE(s1.latency_ms, s0.latency_ms);
  EXPECT_THROW(cost(Candidate{base.arch, HwGenes{100000, 0}}), InputError);
}

TEST(BlockFamily, RestrictionKeepsArchitecturesInTheSpace) {
  const SearchSpace space = parse_search_space(test::kTinySpaceYaml, "tiny.yaml");
  Rng rng(11);
  for (int i = 0; i < 200; ++i) {
    const ArchConfig a = random_arch(space, rng);
    for (BlockFamily f : {BlockFamily::Hybrid, BlockFamily::CnnOnly, BlockFamily::TransformerHeavy}) {
      const ArchConfig r = restrict_blocks(a, space, f, rng);
      validate_arch(r, space);
      EXPECT_TRUE(in_family(r, space, f));
    }
  }
  EXPECT_EQ(parse_block_family("cnn"), BlockFamily::CnnOnly);
  EXPECT_THROW(parse_block_family("vit"), InputError);
}

}  // namespace
}  // namespace h4h
