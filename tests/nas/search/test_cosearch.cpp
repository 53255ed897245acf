// Hardware co-search (issue 6): with CIM macro count as a gene and a further objective, the hardware
// point the search chooses lies on the accuracy / latency / macro-count front of an exhaustive sweep
// of macro counts (every subnet of a small space on every macro count).
#include <gtest/gtest.h>

#include "search_fixture.h"

namespace h4h {
namespace {

const char* kCoSpaceYaml = R"(version: 1
name: co-enum
input_channels: 1
num_classes: 10
resolutions: [28]
activation: swish
first_conv: {widths: [16], kernel: 3, stride: 2}
stages:
  - {name: s1, widths: [16], depths: [1], stride: 1, mbconv: {kernels: [3], expands: [1], se: [false]}}
  - {name: s2, widths: [24], depths: [1], stride: 2, mbconv: {kernels: [3, 5], expands: [2, 4], se: [false]}}
  - {name: s3, widths: [32], depths: [1, 2], stride: 2,
     mbconv: {kernels: [3], expands: [2, 4], se: [false]},
     transformer: {heads: [2, 4], head_dims: [8], mlp_ratios: [1, 2]}, later_blocks: [mbconv, transformer]}
  - {name: s4, widths: [48, 64], depths: [1, 2], stride: 1,
     mbconv: {kernels: [3], expands: [2, 4], se: [false]},
     transformer: {heads: [2, 4], head_dims: [8], mlp_ratios: [1, 2]}, later_blocks: [mbconv, transformer]}
head: {conv_widths: [128], fc_widths: [256]}
)";

bool dominates(const Point& q, const Point& p) {
  bool all_le = true, one_lt = false;
  for (size_t k = 0; k < p.size(); ++k) all_le = all_le && q[k] <= p[k], one_lt = one_lt || q[k] < p[k];
  return all_le && one_lt;
}

TEST(CoSearch, TheChosenHardwarePointLiesOnTheFrontOfAnExhaustiveMacroSweep) {
  const test::TinyOracles oracles(kCoSpaceYaml);
  const std::vector<int> macros{1, 2, 4, 8};
  const std::vector<SearchObjective> objectives{SearchObjective::Accuracy, SearchObjective::Latency,
                                                SearchObjective::Macros};
  const std::vector<ArchConfig> archs = enumerate_archs(oracles.space);
  ASSERT_EQ(archs.size(), 4u * 14u * 28u);

  // The sweep: every subnet on every macro count; its median latency is the budget.
  std::vector<Point> sweep;
  std::vector<double> latencies;
  for (int m : macros)
    for (const ArchConfig& a : archs) {
      Scores s = oracles.cost(Candidate{a, HwGenes{m, 0}});
      ASSERT_TRUE(s.hw_ok) << s.hw_error;
      s.accuracy = oracles.accuracy(a);
      sweep.push_back(minimized(s, objectives));
      latencies.push_back(s.latency_ms);
    }
  std::nth_element(latencies.begin(), latencies.begin() + latencies.size() / 2, latencies.end());
  const double budget = latencies[latencies.size() / 2];

  SearchSetup setup = oracles.setup(2, 24);
  setup.objectives = objectives;
  setup.genes.cim_macros = macros;
  setup.budgets.latency_ms = budget;
  SearchRun run("nsga2", setup, oracles.oracles());
  for (int g = 0; g < 15; ++g) run.run_generation();
  EXPECT_LT(run.accuracy_evaluations(), int64_t(archs.size()) / 4);

  // The chosen point: the most accurate candidate within budget (fewest macros on a tie).
  const std::vector<size_t> front = run.front();
  ASSERT_FALSE(front.empty());
  size_t chosen = front[0];
  for (size_t i : front) {
    const Scores &s = run.archive()[i].scores, &c = run.archive()[chosen].scores;
    if (s.accuracy > c.accuracy || (s.accuracy == c.accuracy && s.cim_macros < c.cim_macros)) chosen = i;
  }
  const Point p = minimized(run.archive()[chosen].scores, objectives);
  for (size_t k = 0; k < sweep.size(); ++k) {
    if (sweep[k][1] > budget) continue;
    ASSERT_FALSE(dominates(sweep[k], p)) << "the sweep point " << k << " dominates the chosen "
                                         << candidate_key(run.archive()[chosen].candidate);
  }
  // And macro count matters: the front spans more than one hardware point.
  std::set<int> front_macros;
  for (size_t i : front) front_macros.insert(run.archive()[i].scores.cim_macros);
  EXPECT_GT(front_macros.size(), 1u);
}

}  // namespace
}  // namespace h4h
