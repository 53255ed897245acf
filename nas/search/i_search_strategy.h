#pragma once
// A search strategy, ask/tell: the driver (search_run.h) asks for a batch of candidates, has them
// scored, and tells the strategy the scores in the same order.
//
// Contract:
//  - ask() returns at least one candidate, each a member of the space (and of the setup's block
//    family), distinct from each other. Candidates that break the budgets by the cheap hardware
//    estimate are resampled up to SearchSetup::resample_cap times; one still over budget may be
//    returned (it loses to every candidate within budget).
//  - tell() gets the scores of the last ask(), in order, before the next ask().
//  - Deterministic: the same setup and seed give the same candidates; save() captures everything
//    (population, generator state) and load() on a fresh strategy with the same setup continues
//    exactly as the saved one would have.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nas/search/search_setup.h"

namespace h4h {

class SearchStrategy {
 public:
  virtual ~SearchStrategy() = default;
  virtual std::vector<Candidate> ask() = 0;
  virtual void tell(const std::vector<Evaluated>& scored) = 0;
  virtual nlohmann::json save() const = 0;
  virtual void load(const nlohmann::json& state) = 0;  // InputError on a state it cannot read
};

// "nsga2" | "evolution" (constrained, AlphaNet/OFA style: maximise accuracy within the budgets) |
// "random". InputError for another name.
std::unique_ptr<SearchStrategy> make_strategy(const std::string& name, const SearchSetup& setup);
std::vector<std::string> strategy_names();

}  // namespace h4h
