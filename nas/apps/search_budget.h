#pragma once
// A search's budgets against what its candidates can reach: a latency, energy
// or CIM macro budget below every candidate's is refused before anything is
// searched, and every co-search gene value must be a valid hardware setting.
#include <string>

#include "nas/search/estimated_cost.h"
#include "nas/search/search_setup.h"

namespace h4h {

// The least latency, energy and macro count found, and the candidates
// (candidate_key) that reach the first two.
struct BudgetFloor {
  double latency_ms = 1e300, energy_uj = 1e300;
  int cim_macros = 1 << 30;
  std::string latency_where, energy_where;
};

// Estimates the smallest subnet of the family on every gene setting, and 64
// random subnets (seed 0) on the first setting. Candidates the hardware cannot
// run are left out.
BudgetFloor achievable_floor(const SearchSpace& space, BlockFamily family, const GeneRanges& genes,
                             EstimatedCost& cost);

// ParameterError naming the budget (latency_ms, energy_uj, max_macros) that is
// set and below the floor, with the floor and where it is reached; `hw_file`
// names the system in the message.
void check_budgets(const Budgets& budgets, const BudgetFloor& floor, const std::string& hw_file);

// InputError naming the hardware key when a gene value is not a valid setting.
void check_genes(EstimatedCost& cost, const GeneRanges& genes);

}  // namespace h4h
