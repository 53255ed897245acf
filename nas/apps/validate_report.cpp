#include "nas/apps/validate_report.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace h4h {

using nlohmann::json;

namespace {

double latency_ms(const CostReport& r, const HardwareSpec& hw) { return double(r.total_cycles) / hw.clock_hz() * 1e3; }

json opt(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json agreement_json(const Agreement& a) {
  return {{"count", a.count}, {"mape_pct", a.mape_pct}, {"max_abs_error_pct", a.max_abs_error_pct},
          {"mean_error_pct", a.mean_error_pct}, {"kendall_tau", opt(a.kendall_tau)}};
}

std::string rel(double est, double sim) { return sim != 0 ? fmt::format("{:.4f}", 100.0 * (est - sim) / sim) : ""; }

}  // namespace

ValidationSummary summarize(const std::vector<ValidationSample>& samples, const ValidationTargets& targets) {
  ValidationSummary s;
  s.samples = samples.size();
  std::vector<double> est_cycles, sim_cycles, est_energy, sim_energy;
  struct Group {
    std::vector<double> est_cycles, sim_cycles, est_energy, sim_energy;
  };
  std::map<std::pair<std::string, std::string>, Group> groups;
  for (const ValidationSample& x : samples) {
    if (!x.failure.empty()) {
      ++s.failed;
      continue;
    }
    est_cycles.push_back(double(x.estimated.total_cycles));
    sim_cycles.push_back(double(x.simulated.total_cycles));
    est_energy.push_back(x.estimated.energy_pj());
    sim_energy.push_back(x.simulated.energy_pj());
    for (size_t i = 0; i < x.workload.layers.size(); ++i) {
      const LayerCost& e = x.estimated.layers[i];
      const LayerCost& m = x.simulated.layers[i];
      Group& g = groups[{layer_op_name(x.workload.layers[i]), placement_name(x.mapping.layers[i])}];
      g.est_cycles.push_back(double(e.cycles));
      g.sim_cycles.push_back(double(m.cycles));
      g.est_energy.push_back(e.energy.total_pj());
      g.sim_energy.push_back(m.energy.total_pj());
    }
  }
  s.latency = agreement(est_cycles, sim_cycles);
  s.energy = agreement(est_energy, sim_energy);
  auto sum = [](const std::vector<double>& v) {
    double t = 0;
    for (double x : v) t += x;
    return t;
  };
  for (const auto& [key, g] : groups) {
    OpErrors o;
    o.op = key.first;
    o.unit = key.second;
    o.layers = g.sim_cycles.size();
    o.cycles = agreement(g.est_cycles, g.sim_cycles);
    o.energy = agreement(g.est_energy, g.sim_energy);
    const double sc = sum(g.sim_cycles), se = sum(g.sim_energy);
    o.total_cycles_error_pct = sc > 0 ? 100.0 * (sum(g.est_cycles) - sc) / sc : 0;
    o.total_energy_error_pct = se > 0 ? 100.0 * (sum(g.est_energy) - se) / se : 0;
    s.ops.push_back(o);
  }
  std::map<std::pair<std::string, std::string>, double> weight;
  for (const auto& [key, g] : groups) weight[key] = sum(g.sim_cycles);
  std::stable_sort(s.ops.begin(), s.ops.end(), [&](const OpErrors& a, const OpErrors& b) {
    return weight[{a.op, a.unit}] > weight[{b.op, b.unit}];
  });
  const bool any = s.latency.count > 0;
  s.latency_met = any && s.latency.mape_pct <= targets.latency_mape_pct;
  s.energy_met = any && s.energy.mape_pct <= targets.energy_mape_pct;
  // Tau needs two samples or more; a single sample cannot be ranked.
  s.tau_met = s.latency.kendall_tau && s.energy.kendall_tau && *s.latency.kendall_tau >= targets.kendall_tau &&
              *s.energy.kendall_tau >= targets.kendall_tau;
  return s;
}

std::string samples_csv(const std::vector<ValidationSample>& samples, const HardwareSpec& hw) {
  std::string csv =
      "sample,workload,mapping,layers,macs,est_cycles,sim_cycles,latency_error_pct,est_latency_ms,sim_latency_ms,"
      "est_energy_uj,sim_energy_uj,energy_error_pct,failure\n";
  for (size_t i = 0; i < samples.size(); ++i) {
    const ValidationSample& s = samples[i];
    const bool ok = s.failure.empty();
    std::string failure = s.failure;
    std::replace(failure.begin(), failure.end(), '"', '\'');
    csv += fmt::format("{},{},{},{},{},{},{},{},{:.6f},{},{:.6f},{},{},{}\n", i, s.workload.name, s.mapping.schema,
                       s.workload.layers.size(), s.estimated.macs(), s.estimated.total_cycles,
                       ok ? std::to_string(s.simulated.total_cycles) : "",
                       ok ? rel(double(s.estimated.total_cycles), double(s.simulated.total_cycles)) : "",
                       latency_ms(s.estimated, hw), ok ? fmt::format("{:.6f}", latency_ms(s.simulated, hw)) : "",
                       s.estimated.energy_pj() / 1e6, ok ? fmt::format("{:.6f}", s.simulated.energy_pj() / 1e6) : "",
                       ok ? rel(s.estimated.energy_pj(), s.simulated.energy_pj()) : "",
                       failure.empty() ? "" : "\"" + failure + "\"");
  }
  return csv;
}

std::string ops_csv(const ValidationSummary& summary) {
  std::string csv =
      "op,unit,layers,cycles_mape_pct,cycles_max_abs_error_pct,cycles_total_error_pct,energy_mape_pct,"
      "energy_max_abs_error_pct,energy_total_error_pct\n";
  for (const OpErrors& o : summary.ops)
    csv += fmt::format("{},{},{},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f},{:.4f}\n", o.op, o.unit, o.layers, o.cycles.mape_pct,
                       o.cycles.max_abs_error_pct, o.total_cycles_error_pct, o.energy.mape_pct,
                       o.energy.max_abs_error_pct, o.total_energy_error_pct);
  return csv;
}

json summary_json(const ValidationSummary& summary, const std::vector<ValidationSample>& samples, const json& inputs,
                  const ValidationTargets& targets) {
  json ops = json::array();
  for (const OpErrors& o : summary.ops)
    ops.push_back({{"op", o.op}, {"unit", o.unit}, {"layers", o.layers}, {"cycles", agreement_json(o.cycles)},
                   {"energy", agreement_json(o.energy)}, {"total_cycles_error_pct", o.total_cycles_error_pct},
                   {"total_energy_error_pct", o.total_energy_error_pct}});
  json failures = json::array();
  for (const ValidationSample& s : samples)
    if (!s.failure.empty()) failures.push_back({{"workload", s.workload.name}, {"reason", s.failure}});
  return {{"inputs", inputs},
          {"samples", summary.samples},
          {"simulated", summary.samples - summary.failed},
          {"failed", summary.failed},
          {"latency", agreement_json(summary.latency)},
          {"energy", agreement_json(summary.energy)},
          {"targets",
           {{"latency_mape_pct", targets.latency_mape_pct},
            {"energy_mape_pct", targets.energy_mape_pct},
            {"kendall_tau", targets.kendall_tau},
            {"latency_met", summary.latency_met},
            {"energy_met", summary.energy_met},
            {"tau_met", summary.tau_met},
            {"met", summary.targets_met()}}},
          {"ops", ops},
          {"failures", failures}};
}

}  // namespace h4h
