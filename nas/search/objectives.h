#pragma once
// What a candidate scores, the objectives a search trades off, and the budgets it must meet.
// Every objective is turned into a quantity to minimise: accuracy as the error 1 - top-1, latency in
// ms, energy in uJ, CIM macro count (area).
#include <string>
#include <vector>

namespace h4h {

enum class SearchObjective { Accuracy, Latency, Energy, Macros };

// "acc,latency,energy[,macros]" in any order, no repeats, accuracy required (a search without it
// would only find the smallest network). ParameterError naming `objectives` otherwise.
std::vector<SearchObjective> parse_objectives(const std::string& list);
const char* objective_label(SearchObjective objective);  // acc | latency | energy | macros

struct Scores {
  double accuracy = 0;    // top-1 on the validation split, in [0, 1]
  double latency_ms = 0;  // estimated, with the candidate's optimal mapping
  double energy_uj = 0;
  int cim_macros = 0;     // of the system the candidate runs on
  bool hw_ok = true;      // false: the hardware cannot run it (hw_error says why)
  std::string hw_error;
};

struct Budgets {  // 0: no limit
  double latency_ms = 0, energy_uj = 0;
  int cim_macros = 0;
  bool any() const { return latency_ms > 0 || energy_uj > 0 || cim_macros > 0; }
};

// 0 when `s` meets every budget (and the hardware can run it); otherwise the sum of the relative
// excesses over the budgets (kUnrunnable when the hardware cannot run it), for constraint domination.
constexpr double kUnrunnable = 1e9;
double budget_violation(const Scores& s, const Budgets& b);

// One minimised objective of `s` (accuracy as the error 1 - top-1).
double minimized(const Scores& s, SearchObjective objective);
// The minimised objective vector of `s`, in the order of `objectives`.
std::vector<double> minimized(const Scores& s, const std::vector<SearchObjective>& objectives);

}  // namespace h4h
