#include "nas/apps/search_budget.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "sim/core/parameter_error.h"

namespace h4h {

BudgetFloor achievable_floor(const SearchSpace& space, BlockFamily family, const GeneRanges& genes,
                             EstimatedCost& cost) {
  Rng rng(0);
  std::vector<ArchConfig> archs{restrict_blocks(smallest_arch(space), space, family, rng)};
  for (int i = 0; i < 64; ++i) archs.push_back(restrict_blocks(random_arch(space, rng), space, family, rng));
  std::vector<int> macros = genes.cim_macros, units = genes.cim_compute_units;
  if (macros.empty()) macros = {0};
  if (units.empty()) units = {0};
  BudgetFloor f;
  for (int m : macros)
    for (int u : units)
      for (size_t i = 0; i < archs.size(); ++i) {
        if (i > 0 && (m != macros.front() || u != units.front())) break;  // random archs on one setting only
        const Candidate c{archs[i], HwGenes{m, u}};
        const Scores s = cost(c);
        if (!s.hw_ok) continue;
        if (s.latency_ms < f.latency_ms) f.latency_ms = s.latency_ms, f.latency_where = candidate_key(c);
        if (s.energy_uj < f.energy_uj) f.energy_uj = s.energy_uj, f.energy_where = candidate_key(c);
        f.cim_macros = std::min(f.cim_macros, s.cim_macros);
      }
  return f;
}

void check_budgets(const Budgets& b, const BudgetFloor& f, const std::string& hw_file) {
  if (b.latency_ms > 0 && b.latency_ms < f.latency_ms)
    throw ParameterError("latency_ms", fmt::format("{}", b.latency_ms),
                         fmt::format("infeasible on {}: the smallest achievable latency is {:.6g} ms ({})", hw_file,
                                     f.latency_ms, f.latency_where));
  if (b.energy_uj > 0 && b.energy_uj < f.energy_uj)
    throw ParameterError("energy_uj", fmt::format("{}", b.energy_uj),
                         fmt::format("infeasible on {}: the smallest achievable energy is {:.6g} uJ ({})", hw_file,
                                     f.energy_uj, f.energy_where));
  if (b.cim_macros > 0 && b.cim_macros < f.cim_macros)
    throw ParameterError("max_macros", std::to_string(b.cim_macros),
                         fmt::format("infeasible: every system searched has at least {} CIM macros", f.cim_macros));
}

void check_genes(EstimatedCost& cost, const GeneRanges& genes) {
  for (int m : genes.cim_macros) cost.hardware(HwGenes{m, 0});
  for (int u : genes.cim_compute_units) cost.hardware(HwGenes{0, u});
}

}  // namespace h4h
