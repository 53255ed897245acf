#pragma once
// What `h4h validate` reports: end-to-end agreement of latency and energy over the samples
// (validate_stats.h), per-layer errors grouped by op kind and unit, and the targets of issue 4
// (latency MAPE <= 2 %, energy MAPE <= 1 %, Kendall tau >= 0.95 for both). Failed simulations are
// listed and left out of the statistics.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nas/apps/validate_run.h"
#include "nas/apps/validate_stats.h"

namespace h4h {

struct ValidationTargets {
  double latency_mape_pct = 2.0, energy_mape_pct = 1.0, kendall_tau = 0.95;
};

// Per-layer errors of one op kind on one placement ("conv2d" on "npu", "cim" or "npu+cim").
struct OpErrors {
  std::string op, unit;
  size_t layers = 0;                     // over all samples
  Agreement cycles, energy;              // layer by layer (tau over the layers)
  double total_cycles_error_pct = 0;     // (sum est - sum sim) / sum sim over these layers
  double total_energy_error_pct = 0;
};

struct ValidationSummary {
  size_t samples = 0, failed = 0;
  Agreement latency, energy;             // end to end, over the samples simulated
  std::vector<OpErrors> ops;             // largest simulated cycles first
  bool latency_met = false, energy_met = false, tau_met = false;
  bool targets_met() const { return latency_met && energy_met && tau_met; }
};

ValidationSummary summarize(const std::vector<ValidationSample>& samples, const ValidationTargets& targets = {});

// One row per sample: estimated and simulated cycles, latency, energy and their errors (or the failure).
std::string samples_csv(const std::vector<ValidationSample>& samples, const HardwareSpec& hw);
// The per-op table as CSV.
std::string ops_csv(const ValidationSummary& summary);

// `inputs`: what was validated (space or models, seed, mapping, objective, hw), copied in as "inputs".
nlohmann::json summary_json(const ValidationSummary& summary, const std::vector<ValidationSample>& samples,
                            const nlohmann::json& inputs, const ValidationTargets& targets = {});

// Scatter plots of estimated against simulated latency and energy (one point per sample, the
// y = x line) with gnuplot: DIR/scatter.{png,svg} and their data DIR/scatter.tsv. False (and why,
// on stderr) when gnuplot is missing or fails, or no sample was simulated.
bool plot_scatter(const std::string& dir, const std::vector<ValidationSample>& samples, const HardwareSpec& hw,
                  const std::string& title);

}  // namespace h4h
