#include "nas/search/i_search_strategy.h"
#include "sim/core/parameter_error.h"

namespace h4h {

std::unique_ptr<SearchStrategy> make_nsga2(const SearchSetup& setup);
std::unique_ptr<SearchStrategy> make_evolution(const SearchSetup& setup);
std::unique_ptr<SearchStrategy> make_random_search(const SearchSetup& setup);

std::vector<std::string> strategy_names() { return {"nsga2", "evolution", "random"}; }

std::unique_ptr<SearchStrategy> make_strategy(const std::string& name, const SearchSetup& setup) {
  if (!setup.space) throw std::logic_error("make_strategy: no search space");
  if (setup.population < 2) throw ParameterError("population", "expected at least 2");
  if (setup.mutate_prob < 0 || setup.mutate_prob > 1) throw ParameterError("mutate_prob", "expected a value in [0, 1]");
  if (name == "nsga2") return make_nsga2(setup);
  if (name == "evolution") return make_evolution(setup);
  if (name == "random") return make_random_search(setup);
  throw ParameterError("algorithm", "expected nsga2, evolution or random, got '" + name + "'");
}

}  // namespace h4h
