#pragma once
// The results of a sweep, one row per point, and their CSV and JSON forms.
//
// CSV columns: one per swept key, then cycles, latency_ms, energy_uj, edp_uj_ms, cim_layers, status
// (the estimate; status "ok" or the reason the point failed, figures left empty then). With
// simulated figures, also: sim_cycles, sim_latency_ms, sim_energy_uj, sim_edp_uj_ms,
// latency_err_pct, energy_err_pct, sim_status. Errors are (estimated - simulated) / simulated in
// percent, as `h4h compare` defines them; empty unless both evaluations succeeded.
// JSON: {"workload", "hw", "schema", "objective", "keys", "simulated": bool, "points": [{<key>:
// <value>..., "cycles", "latency_ms", "energy_uj", "edp_uj_ms", "cim_layers", "status",
// "simulated": {"status", "cycles", "latency_ms", "energy_uj", "edp_uj_ms", "latency_error_pct",
// "energy_error_pct"}}]} with figures present only where the evaluation succeeded.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/hardware.h"

namespace h4h {

// What one evaluator made of one point.
struct SweepFigures {
  bool ok = false;
  std::string status;  // "ok" or why it failed
  int64_t cycles = 0;
  double latency_ms = 0, energy_uj = 0;
  double edp_uj_ms() const { return latency_ms * energy_uj; }
};

struct SweepRow {
  std::vector<Override> settings;  // (key, value) per swept key
  SweepFigures estimated;
  long cim_layers = 0;             // layers with a CIM part in the point's mapping
  std::optional<SweepFigures> simulated;
};

// Relative error of `estimated` against `reference` in percent.
double error_pct(double estimated, double reference);

// `simulated`: whether the sim_* columns are written (every row then carries simulated figures).
std::string sweep_csv(const std::vector<std::string>& keys, const std::vector<SweepRow>& rows, bool simulated);

nlohmann::json sweep_row_json(const SweepRow& row);

// Quotes a CSV field when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text);

}  // namespace h4h
