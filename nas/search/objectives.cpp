#include "nas/search/objectives.h"

#include <algorithm>

#include "sim/core/parameter_error.h"

namespace h4h {

std::vector<SearchObjective> parse_objectives(const std::string& list) {
  std::vector<SearchObjective> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string name = list.substr(start, end - start);
    start = end + 1;
    SearchObjective o;
    if (name == "acc" || name == "accuracy") o = SearchObjective::Accuracy;
    else if (name == "latency") o = SearchObjective::Latency;
    else if (name == "energy") o = SearchObjective::Energy;
    else if (name == "macros") o = SearchObjective::Macros;
    else throw ParameterError("objectives", "unknown objective '" + name + "' (expected acc, latency, energy, macros)");
    if (std::find(out.begin(), out.end(), o) != out.end())
      throw ParameterError("objectives", "'" + name + "' given twice");
    out.push_back(o);
  }
  if (std::find(out.begin(), out.end(), SearchObjective::Accuracy) == out.end())
    throw ParameterError("objectives", "expected acc among the objectives, got '" + list + "'");
  return out;
}

const char* objective_label(SearchObjective o) {
  switch (o) {
    case SearchObjective::Accuracy: return "acc";
    case SearchObjective::Latency: return "latency";
    case SearchObjective::Energy: return "energy";
    case SearchObjective::Macros: return "macros";
  }
  return "?";
}

double budget_violation(const Scores& s, const Budgets& b) {
  if (!s.hw_ok) return kUnrunnable;
  double v = 0;
  if (b.latency_ms > 0 && s.latency_ms > b.latency_ms) v += (s.latency_ms - b.latency_ms) / b.latency_ms;
  if (b.energy_uj > 0 && s.energy_uj > b.energy_uj) v += (s.energy_uj - b.energy_uj) / b.energy_uj;
  if (b.cim_macros > 0 && s.cim_macros > b.cim_macros) v += double(s.cim_macros - b.cim_macros) / b.cim_macros;
  return v;
}

double minimized(const Scores& s, SearchObjective objective) {
  switch (objective) {
    case SearchObjective::Accuracy: return 1.0 - s.accuracy;
    case SearchObjective::Latency: return s.latency_ms;
    case SearchObjective::Energy: return s.energy_uj;
    case SearchObjective::Macros: return double(s.cim_macros);
  }
  return 0;
}

std::vector<double> minimized(const Scores& s, const std::vector<SearchObjective>& objectives) {
  std::vector<double> out;
  for (SearchObjective o : objectives) out.push_back(minimized(s, o));
  return out;
}

}  // namespace h4h
