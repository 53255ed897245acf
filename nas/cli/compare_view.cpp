#include "nas/cli/compare_view.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/table.h"

namespace h4h {

using nlohmann::json;

namespace {

std::vector<std::string> differing(const ActionCounts& a, const ActionCounts& b) {
  std::vector<std::string> out;
  for (const ActionKind& k : kActionKinds)
    if (a.*k.count != b.*k.count) out.push_back(k.name);
  return out;
}

Compared compared(double est, double sim) { return Compared{est, sim}; }

std::string percent(const Compared& c) {
  auto e = c.rel_error();
  return e ? fmt::format("{:+.1f}", 100 * *e) : "n/a";
}

json compared_json(const Compared& c) {
  auto e = c.rel_error();
  return json{{"estimated", c.estimated}, {"simulated", c.simulated}, {"rel_error", e ? json(*e) : json(nullptr)}};
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

size_t shown(const Comparison& c, size_t top) { return top > 0 ? std::min(top, c.layers.size()) : c.layers.size(); }

}  // namespace

std::optional<double> Compared::rel_error() const {
  if (simulated == 0) return estimated == 0 ? std::optional<double>(0.0) : std::nullopt;
  return (estimated - simulated) / simulated;
}

Comparison compare_reports(const CostReport& est, const CostReport& sim, const Workload& w, const HardwareSpec& hw) {
  Comparison c;
  const size_t n = std::min(est.layers.size(), sim.layers.size());
  for (size_t i = 0; i < n; ++i) {
    const LayerCost &e = est.layers[i], &s = sim.layers[i];
    LayerComparison l;
    l.layer = e.layer;
    l.cycles = compared(double(e.cycles), double(s.cycles));
    l.energy_pj = compared(e.energy.total_pj(), s.energy.total_pj());
    l.differing_actions = differing(e.actions, s.actions);
    c.layers.push_back(std::move(l));
  }
  std::stable_sort(c.layers.begin(), c.layers.end(), [](const LayerComparison& a, const LayerComparison& b) {
    return std::abs(a.cycles.simulated - a.cycles.estimated) > std::abs(b.cycles.simulated - b.cycles.estimated);
  });
  const double ms_per_cycle = 1e3 / hw.clock_hz();
  c.cycles = compared(double(est.total_cycles), double(sim.total_cycles));
  c.latency_ms = compared(double(est.total_cycles) * ms_per_cycle, double(sim.total_cycles) * ms_per_cycle);
  c.energy_pj = compared(est.energy_pj(), sim.energy_pj());
  c.static_energy_pj = compared(est.static_energy_pj, sim.static_energy_pj);
  c.npu_busy_cycles = compared(double(est.npu_busy_cycles), double(sim.npu_busy_cycles));
  c.cim_busy_cycles = compared(double(est.cim_busy_cycles), double(sim.cim_busy_cycles));
  const EnergyBreakdown &ee = est.energy, &se = sim.energy;
  for (const EnergyComponent& k : kEnergyComponents) c.energy_breakdown_pj.emplace_back(k.name, compared(ee.*k.pj, se.*k.pj));
  c.energy_breakdown_pj.emplace_back("static", c.static_energy_pj);
  c.differing_actions = differing(est.actions, sim.actions);
  return c;
}

std::string render_comparison_table(const Comparison& c, const Workload& w, const HardwareSpec& hw, const Mapping& mapping,
                                    size_t top) {
  TextTable table({"layer", "op", "unit", "est cycles", "sim cycles", "cyc err %", "est nJ", "sim nJ", "energy err %",
                   "actions"});
  const size_t count = shown(c, top);
  for (size_t i = 0; i < count; ++i) {
    const LayerComparison& l = c.layers[i];
    const Layer& layer = w.layers[l.layer];
    table.add_row({layer.name, layer_op_name(layer), placement_name(mapping.layers[l.layer]),
                   group_digits(std::llround(l.cycles.estimated)), group_digits(std::llround(l.cycles.simulated)),
                   percent(l.cycles), fmt::format("{:.2f}", l.energy_pj.estimated / 1e3),
                   fmt::format("{:.2f}", l.energy_pj.simulated / 1e3), percent(l.energy_pj),
                   l.differing_actions.empty() ? "same" : "DIFFER"});
  }
  std::string out = fmt::format("{} on {} (mapping {}): estimator vs simulator, error = (est - sim) / sim\n", w.name,
                                hw.name, mapping.schema);
  out += fmt::format("layers, worst first by |sim - est| cycles{}:\n",
                     count < c.layers.size() ? fmt::format(" ({} of {})", count, c.layers.size()) : "");
  out += table.render();
  TextTable totals({"total", "estimated", "simulated", "err %"});
  auto cycles_row = [&](const std::string& name, const Compared& v) {
    totals.add_row({name, group_digits(std::llround(v.estimated)), group_digits(std::llround(v.simulated)), percent(v)});
  };
  cycles_row("cycles", c.cycles);
  totals.add_row({"latency ms", fmt::format("{:.4f}", c.latency_ms.estimated), fmt::format("{:.4f}", c.latency_ms.simulated),
                  percent(c.latency_ms)});
  cycles_row("npu busy cycles", c.npu_busy_cycles);
  cycles_row("cim busy cycles", c.cim_busy_cycles);
  auto energy_row = [&](const std::string& name, const Compared& v) {
    totals.add_row({name, fmt::format("{:.3f}", v.estimated / 1e6), fmt::format("{:.3f}", v.simulated / 1e6), percent(v)});
  };
  energy_row("energy uJ", c.energy_pj);
  for (const auto& [name, v] : c.energy_breakdown_pj) energy_row("  " + name, v);
  out += totals.render();
  if (c.differing_actions.empty()) {
    out += "action counts: identical in total\n";
  } else {
    out += "action counts DIFFER in total: " + join(c.differing_actions) + "\n";
    for (const LayerComparison& l : c.layers)
      if (!l.differing_actions.empty())
        out += fmt::format("  {}: {}\n", w.layers[l.layer].name, join(l.differing_actions));
  }
  return out;
}

json comparison_to_json(const Comparison& c, const Workload& w, const HardwareSpec& hw, const Mapping& mapping, size_t top) {
  json layers = json::array();
  const size_t count = shown(c, top);
  for (size_t i = 0; i < count; ++i) {
    const LayerComparison& l = c.layers[i];
    const Layer& layer = w.layers[l.layer];
    layers.push_back(json{{"name", layer.name},
                          {"index", l.layer},
                          {"op", layer_op_name(layer)},
                          {"unit", placement_name(mapping.layers[l.layer])},
                          {"npu_fraction", mapping.layers[l.layer].npu_fraction},
                          {"cycles", compared_json(l.cycles)},
                          {"energy_pj", compared_json(l.energy_pj)},
                          {"actions_match", l.differing_actions.empty()},
                          {"differing_actions", l.differing_actions}});
  }
  json breakdown = json::object();
  for (const auto& [name, v] : c.energy_breakdown_pj) breakdown[name] = compared_json(v);
  return json{{"workload", w.name},
              {"hw", hw.name},
              {"hw_file", hw.file},
              {"clock_hz", hw.clock_hz()},
              {"reference", "systemc"},
              {"rel_error", "(estimated - simulated) / simulated"},
              {"ranking", "abs_cycle_error"},
              {"total",
               {{"cycles", compared_json(c.cycles)},
                {"latency_ms", compared_json(c.latency_ms)},
                {"energy_pj", compared_json(c.energy_pj)},
                {"energy_breakdown_pj", breakdown},
                {"npu_busy_cycles", compared_json(c.npu_busy_cycles)},
                {"cim_busy_cycles", compared_json(c.cim_busy_cycles)},
                {"actions_match", c.differing_actions.empty()},
                {"differing_actions", c.differing_actions}}},
              {"layers_total", c.layers.size()},
              {"mapping", mapping_to_json(mapping, w)},
              {"layers", layers}};
}

}  // namespace h4h
