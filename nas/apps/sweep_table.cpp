#include "nas/apps/sweep_table.h"

#include <fmt/format.h>

namespace h4h {

namespace {

std::string figures_csv(const SweepFigures& f) {
  if (!f.ok) return ",,,";
  return fmt::format("{},{:.6f},{:.4f},{:.6f}", f.cycles, f.latency_ms, f.energy_uj, f.edp_uj_ms());
}

nlohmann::json figures_json(const SweepFigures& f) {
  nlohmann::json j{{"status", f.status}};
  if (f.ok) j.update({{"cycles", f.cycles}, {"latency_ms", f.latency_ms}, {"energy_uj", f.energy_uj}, {"edp_uj_ms", f.edp_uj_ms()}});
  return j;
}

bool comparable(const SweepRow& row) { return row.estimated.ok && row.simulated && row.simulated->ok; }

}  // namespace

double error_pct(double estimated, double reference) { return 100.0 * (estimated - reference) / reference; }

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string sweep_csv(const std::vector<std::string>& keys, const std::vector<SweepRow>& rows, bool simulated) {
  std::string csv;
  for (const std::string& k : keys) csv += csv_field(k) + ",";
  csv += "cycles,latency_ms,energy_uj,edp_uj_ms,cim_layers,status";
  if (simulated) csv += ",sim_cycles,sim_latency_ms,sim_energy_uj,sim_edp_uj_ms,latency_err_pct,energy_err_pct,sim_status";
  csv += "\n";
  for (const SweepRow& row : rows) {
    for (const auto& kv : row.settings) csv += csv_field(kv.second) + ",";
    csv += figures_csv(row.estimated) + "," + (row.estimated.ok ? std::to_string(row.cim_layers) : "") + "," +
           csv_field(row.estimated.status);
    if (simulated) {
      const SweepFigures none{false, "not simulated"};
      const SweepFigures& sim = row.simulated ? *row.simulated : none;
      csv += "," + figures_csv(sim) + ",";
      if (comparable(row))
        csv += fmt::format("{:.4f},{:.4f}", error_pct(row.estimated.latency_ms, sim.latency_ms),
                           error_pct(row.estimated.energy_uj, sim.energy_uj));
      else
        csv += ",";
      csv += "," + csv_field(sim.status);
    }
    csv += "\n";
  }
  return csv;
}

nlohmann::json sweep_row_json(const SweepRow& row) {
  nlohmann::json j;
  for (const auto& [key, value] : row.settings) j[key] = value;
  j.update(figures_json(row.estimated));
  if (row.estimated.ok) j["cim_layers"] = row.cim_layers;
  if (row.simulated) {
    nlohmann::json sim = figures_json(*row.simulated);
    if (comparable(row)) {
      sim["latency_error_pct"] = error_pct(row.estimated.latency_ms, row.simulated->latency_ms);
      sim["energy_error_pct"] = error_pct(row.estimated.energy_uj, row.simulated->energy_uj);
    }
    j["simulated"] = sim;
  }
  return j;
}

}  // namespace h4h
