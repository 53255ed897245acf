// Constrained evolution in the style of Once-for-All and AlphaNet: maximise accuracy within the
// budgets. Each generation keeps the best `parent_ratio` of the population as parents and breeds
// children from them, a `mutation_ratio` share by mutation, the rest by crossover; the next
// population is the best `population` of the old one and the children (within budget first, then
// higher accuracy, then the first cost objective).
#include <algorithm>

#include "nas/search/population_strategy.h"

namespace h4h {

namespace {

class ConstrainedEvolution : public PopulationStrategy {
 public:
  explicit ConstrainedEvolution(const SearchSetup& setup) : PopulationStrategy("evolution", setup) {}

  std::vector<Candidate> ask() override {
    if (population_.empty()) return random_batch(setup_.population);
    const size_t parents = std::clamp<size_t>(size_t(setup_.parent_ratio * setup_.population + 0.5), 1, population_.size());
    auto parent = [&]() -> const Candidate& { return population_[rng_() % parents].candidate; };
    const int by_mutation = int(setup_.mutation_ratio * setup_.population + 0.5);
    std::vector<Candidate> children;
    for (int k = 0; k < setup_.population; ++k) {
      children.push_back(fresh([&] {
        if (k < by_mutation) return variation_.mutate(parent());
        const Candidate& a = parent();
        const Candidate& b = parent();
        return variation_.crossover(a, b);
      }));
    }
    return children;
  }

  void tell(const std::vector<Evaluated>& scored) override {
    population_.insert(population_.end(), scored.begin(), scored.end());
    const SearchObjective tie = setup_.objectives.size() > 1 ? setup_.objectives[1] : SearchObjective::Latency;
    std::stable_sort(population_.begin(), population_.end(), [&](const Evaluated& a, const Evaluated& b) {
      if (a.violation != b.violation) return a.violation < b.violation;
      if (a.scores.accuracy != b.scores.accuracy) return a.scores.accuracy > b.scores.accuracy;
      return minimized(a.scores, tie) < minimized(b.scores, tie);
    });
    if (int(population_.size()) > setup_.population) population_.resize(size_t(setup_.population));
  }
};

// Uniform random sampling (within budget where the cap allows): the baseline a search must beat.
class RandomSearch : public PopulationStrategy {
 public:
  explicit RandomSearch(const SearchSetup& setup) : PopulationStrategy("random", setup) {}
  std::vector<Candidate> ask() override { return random_batch(setup_.population); }
  void tell(const std::vector<Evaluated>&) override {}
};

}  // namespace

std::unique_ptr<SearchStrategy> make_evolution(const SearchSetup& setup) {
  return std::make_unique<ConstrainedEvolution>(setup);
}
std::unique_ptr<SearchStrategy> make_random_search(const SearchSetup& setup) {
  return std::make_unique<RandomSearch>(setup);
}

}  // namespace h4h
