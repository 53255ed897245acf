#include "nas/search/population_strategy.h"

#include "sim/core/error.h"

namespace h4h {

using nlohmann::json;

PopulationStrategy::PopulationStrategy(std::string name, const SearchSetup& setup)
    : name_(std::move(name)), setup_(setup), rng_(setup.seed), variation_(setup_, rng_) {}

Candidate PopulationStrategy::fresh(const std::function<Candidate()>& make) { return variation_.resampled(make, asked_); }

std::vector<Candidate> PopulationStrategy::random_batch(int n) {
  std::vector<Candidate> out;
  for (int i = 0; i < n; ++i) out.push_back(fresh([&] { return variation_.random(); }));
  return out;
}

json PopulationStrategy::save() const {
  json pop = json::array();
  for (const Evaluated& e : population_) pop.push_back(evaluated_to_json(e, *setup_.space));
  return {{"strategy", name_}, {"rng", rng_to_text(rng_)}, {"asked", asked_}, {"population", pop}};
}

void PopulationStrategy::load(const json& state) {
  const std::string where = "search state";
  if (!state.is_object() || state.value("strategy", std::string()) != name_)
    throw InputError(where + ": saved by another strategy than '" + name_ + "'");
  try {
    rng_ = rng_from_text(state.at("rng").get<std::string>(), where + ": rng");
    asked_ = state.at("asked").get<std::vector<std::string>>();
    population_.clear();
    for (const json& e : state.at("population")) population_.push_back(evaluated_from_json(e, *setup_.space, where));
  } catch (const json::exception& ex) {
    throw InputError(where + ": " + ex.what());
  }
}

}  // namespace h4h
