#pragma once
// What every search strategy shares: the space, the genes, the objectives and budgets, the
// evolution parameters, and the variation operators (random, mutation, crossover) that keep
// candidates inside the block family and, as far as the cheap hardware estimate says, the budgets.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/space/sampling.h"
#include "nas/search/candidate.h"
#include "nas/search/objectives.h"

namespace h4h {

struct Evaluated {
  Candidate candidate;
  Scores scores;
  double violation = 0;  // budget_violation(scores, budgets)
};

struct SearchSetup {
  const SearchSpace* space = nullptr;
  GeneRanges genes;
  BlockFamily family = BlockFamily::Hybrid;
  std::vector<SearchObjective> objectives{SearchObjective::Accuracy, SearchObjective::Latency};
  Budgets budgets;
  int population = 32;
  double mutate_prob = 0.1;     // per gene
  double mutation_ratio = 0.5;  // share of children made by mutation alone (the rest: crossover + mutation)
  double parent_ratio = 0.25;   // evolution: the share of the population kept as parents
  int resample_cap = 50;        // tries per child to land within budget
  uint64_t seed = 0;
  // Cheap hardware cost (the estimator); empty: every candidate is taken as within budget.
  std::function<Scores(const Candidate&)> hw_cost;
};

// Random, mutated and crossed-over candidates for one strategy, resampled toward the budgets.
class Variation {
 public:
  Variation(const SearchSetup& setup, Rng& rng) : setup_(setup), rng_(rng) {}
  Candidate random();
  Candidate mutate(const Candidate& c);
  Candidate crossover(const Candidate& a, const Candidate& b);
  // Calls `make` until its candidate is within budget and not in `taken` (at most resample_cap
  // times); returns the last try otherwise. Adds the result's key to `taken`.
  Candidate resampled(const std::function<Candidate()>& make, std::vector<std::string>& taken);

 private:
  HwGenes random_genes();
  const SearchSetup& setup_;
  Rng& rng_;
};

// Meets every budget (and the hardware runs it).
bool within_budget(const Evaluated& e);

nlohmann::json evaluated_to_json(const Evaluated& e, const SearchSpace& space);
Evaluated evaluated_from_json(const nlohmann::json& doc, const SearchSpace& space, const std::string& file);

}  // namespace h4h
