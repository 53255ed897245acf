// NSGA-II (Deb et al. 2002) over the setup's objectives with constraint domination: a candidate
// within budget beats one over it; two over budget compare by violation; two within budget by
// non-domination rank, then crowding distance. Children: binary tournaments, crossover then
// mutation (or mutation alone for a `mutation_ratio` share); survivors: the best `population` of
// parents and children.
#include <algorithm>
#include <limits>

#include "nas/search/pareto.h"
#include "nas/search/population_strategy.h"

namespace h4h {

namespace {

struct Rank {
  double violation = 0;
  size_t front = 0;
  double crowding = 0;
};

bool better(const Rank& a, const Rank& b) {
  if (a.violation != b.violation) return a.violation < b.violation;
  if (a.front != b.front) return a.front < b.front;
  return a.crowding > b.crowding;
}

std::vector<Rank> rank_all(const std::vector<Evaluated>& pop, const std::vector<SearchObjective>& objectives) {
  std::vector<Rank> ranks(pop.size());
  std::vector<size_t> feasible;
  for (size_t i = 0; i < pop.size(); ++i) {
    ranks[i].violation = pop[i].violation;
    if (pop[i].violation == 0) feasible.push_back(i);
  }
  std::vector<Point> points;
  for (size_t i : feasible) points.push_back(minimized(pop[i].scores, objectives));
  const auto fronts = nondominated_fronts(points);
  for (size_t f = 0; f < fronts.size(); ++f) {
    std::vector<Point> front_points;
    for (size_t k : fronts[f]) front_points.push_back(points[k]);
    const std::vector<double> crowd = crowding_distances(front_points);
    for (size_t k = 0; k < fronts[f].size(); ++k) {
      Rank& r = ranks[feasible[fronts[f][k]]];
      r.front = f;
      r.crowding = crowd[k];
    }
  }
  return ranks;
}

class Nsga2 : public PopulationStrategy {
 public:
  explicit Nsga2(const SearchSetup& setup) : PopulationStrategy("nsga2", setup) {}

  std::vector<Candidate> ask() override {
    if (population_.empty()) return random_batch(setup_.population);
    const std::vector<Rank> ranks = rank_all(population_, setup_.objectives);
    auto tournament = [&]() -> const Candidate& {
      const size_t i = rng_() % population_.size(), j = rng_() % population_.size();
      return population_[better(ranks[j], ranks[i]) ? j : i].candidate;
    };
    std::vector<Candidate> children;
    const int by_mutation = int(setup_.mutation_ratio * setup_.population + 0.5);
    for (int k = 0; k < setup_.population; ++k) {
      children.push_back(fresh([&] {
        if (k < by_mutation) return variation_.mutate(tournament());
        const Candidate& a = tournament();
        const Candidate& b = tournament();
        return variation_.mutate(variation_.crossover(a, b));
      }));
    }
    return children;
  }

  void tell(const std::vector<Evaluated>& scored) override {
    std::vector<Evaluated> merged = population_;
    merged.insert(merged.end(), scored.begin(), scored.end());
    const std::vector<Rank> ranks = rank_all(merged, setup_.objectives);
    std::vector<size_t> order(merged.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return better(ranks[a], ranks[b]); });
    population_.clear();
    for (size_t k = 0; k < order.size() && int(k) < setup_.population; ++k) population_.push_back(merged[order[k]]);
  }
};

}  // namespace

std::unique_ptr<SearchStrategy> make_nsga2(const SearchSetup& setup) { return std::make_unique<Nsga2>(setup); }

}  // namespace h4h
