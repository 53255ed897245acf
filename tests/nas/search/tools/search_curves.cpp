// search_curves: hypervolume against evaluations for NSGA-II, constrained evolution and random
// search on the enumerable test space (tests/nas/search/search_fixture.h), as a fraction of the true
// front's hypervolume, for seeds 1..N. Prints CSV: strategy,seed,evaluations,hv_ratio.
// (every POPULATION evaluations and at 5% of the space).
// Usage: search_curves [SEEDS] [MAX_EVALUATIONS] [POPULATION]
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "tests/nas/search/search_fixture.h"

int main(int argc, char** argv) {
  using namespace h4h;
  const int seeds = argc > 1 ? std::atoi(argv[1]) : 10;
  const auto& truth = test::ground_truth();
  const int64_t max_evals = argc > 2 ? std::atoll(argv[2]) : int64_t(truth.archs.size()) / 10;
  const int population = argc > 3 ? std::atoi(argv[3]) : 32;
  std::printf("strategy,seed,evaluations,hv_ratio\n");
  for (const std::string& strategy : strategy_names())
    for (int seed = 1; seed <= seeds; ++seed) {
      SearchRun run(strategy, test::tiny().setup(uint64_t(seed), population), test::tiny().oracles(), truth.reference);
      while (run.accuracy_evaluations() < max_evals) run.run_generation();
      std::vector<int64_t> marks;
      for (int64_t n = population; n <= max_evals; n += population) marks.push_back(n);
      marks.push_back(int64_t(truth.archs.size()) / 20);  // 5% of the space
      std::sort(marks.begin(), marks.end());
      for (int64_t n : marks)
        std::printf("%s,%d,%lld,%.6f\n", strategy.c_str(), seed, (long long)n,
                    run.hypervolume_at(size_t(n)) / truth.true_hypervolume);
    }
  std::fprintf(stderr, "space of %zu subnets; true hypervolume %.6g\n", truth.archs.size(), truth.true_hypervolume);
  return 0;
}
