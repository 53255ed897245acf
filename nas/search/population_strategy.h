#pragma once
// The state every strategy here shares (private to nas/search): its generator, the candidates it has
// asked for so far (never asked twice while the cap allows), and its current population.
#include <string>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "nas/search/i_search_strategy.h"

namespace h4h {

class PopulationStrategy : public SearchStrategy {
 public:
  PopulationStrategy(std::string name, const SearchSetup& setup);
  nlohmann::json save() const override;
  void load(const nlohmann::json& state) override;

 protected:
  // A fresh candidate from `make` (resampled toward the budget and away from asked candidates).
  Candidate fresh(const std::function<Candidate()>& make);
  std::vector<Candidate> random_batch(int n);

  std::string name_;
  SearchSetup setup_;
  Rng rng_;
  Variation variation_;
  std::vector<std::string> asked_;  // keys, in the order asked
  std::vector<Evaluated> population_;
};

}  // namespace h4h
