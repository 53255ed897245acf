#include "sim/core/cost_report.h"

#include <sstream>

#include "sim/core/error.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace h4h {

using nlohmann::json;

int64_t CostReport::macs() const {
  int64_t m = 0;
  for (const LayerCost& l : layers) m += l.macs;
  return m;
}

namespace {

json energy_json(const EnergyBreakdown& e) {
  json out = json::object();
  for (const EnergyComponent& c : kEnergyComponents) out[c.name] = e.*c.pj;
  return out;
}

json actions_json(const ActionCounts& a) {
  json out = json::object();
  for (const ActionKind& k : kActionKinds) out[k.name] = a.*k.count;
  return out;
}

json stalls_json(const StallCycles& s) {
  return json{{"memory", s.memory}, {"bank_conflict", s.bank_conflict}, {"dependency", s.dependency},
              {"weight_programming", s.weight_programming}, {"dma", s.dma}, {"back_pressure", s.back_pressure}};
}

}  // namespace

json report_to_json(const CostReport& r, const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  const double hz = hw.clock_hz();
  WorkloadTotals totals = count_workload(w);
  json layers = json::array();
  for (const LayerCost& c : r.layers) {
    const Layer& l = w.layers[c.layer];
    layers.push_back(json{{"name", l.name},
                          {"op", layer_op_name(l)},
                          {"unit", placement_name(c.placement)},
                          {"npu_fraction", c.placement.npu_fraction},
                          {"macs", c.macs},
                          {"compute_cycles", c.compute_cycles},
                          {"start_cycle", c.start_cycle},
                          {"end_cycle", c.end_cycle},
                          {"cycles", c.cycles},
                          {"npu_cycles", c.npu_cycles},
                          {"cim_cycles", c.cim_cycles},
                          {"utilization", c.utilization},
                          {"stall_cycles", stalls_json(c.stalls)},
                          {"energy_pj", c.energy.total_pj()},
                          {"energy_breakdown_pj", energy_json(c.energy)},
                          {"actions", actions_json(c.actions)}});
  }
  auto util = [&](int64_t busy) { return r.total_cycles > 0 ? double(busy) / double(r.total_cycles) : 0.0; };
  json breakdown = energy_json(r.energy);
  breakdown["static"] = r.static_energy_pj;
  return json{{"evaluator", r.evaluator},
              {"workload", w.name},
              {"hw", hw.name},
              {"hw_file", hw.file},
              {"clock_hz", hz},
              {"total",
               {{"cycles", r.total_cycles},
                {"latency_ms", double(r.total_cycles) / hz * 1e3},
                {"energy_pj", r.energy_pj()},
                {"energy_breakdown_pj", breakdown},
                {"macs", r.macs()},
                {"params", totals.params},
                {"actions", actions_json(r.actions)}}},
              {"units",
               {{"npu", {{"busy_cycles", r.npu_busy_cycles}, {"utilization", util(r.npu_busy_cycles)}}},
                {"cim", {{"busy_cycles", r.cim_busy_cycles}, {"utilization", util(r.cim_busy_cycles)}}}}},
              {"mapping", mapping_to_json(mapping, w)},
              {"layers", layers}};
}

namespace {

// Readers for report_from_json: each names the key path ("layers[2].actions.npu_macs") in its
// InputError.
std::string key_path(const std::string& where, const char* key) { return where.empty() ? key : where + "." + key; }

const json& member(const json& obj, const char* key, const std::string& where) {
  if (!obj.is_object()) throw InputError(describe_location("report JSON", where, "expected an object"));
  auto it = obj.find(key);
  if (it == obj.end()) throw InputError(describe_location("report JSON", key_path(where, key), "missing"));
  return *it;
}

int64_t read_int(const json& obj, const char* key, const std::string& where) {
  const json& v = member(obj, key, where);
  if (!v.is_number_integer()) throw InputError(describe_location("report JSON", key_path(where, key), "expected an integer"));
  return v.get<int64_t>();
}

double read_number(const json& obj, const char* key, const std::string& where) {
  const json& v = member(obj, key, where);
  if (!v.is_number()) throw InputError(describe_location("report JSON", key_path(where, key), "expected a number"));
  return v.get<double>();
}

EnergyBreakdown energy_from_json(const json& e, const std::string& where) {
  EnergyBreakdown out;
  for (const EnergyComponent& c : kEnergyComponents) out.*c.pj = read_number(e, c.name, where);
  return out;
}

ActionCounts actions_from_json(const json& a, const std::string& where) {
  ActionCounts out;
  for (const ActionKind& k : kActionKinds) out.*k.count = read_int(a, k.name, where);
  return out;
}

StallCycles stalls_from_json(const json& s, const std::string& where) {
  StallCycles out;
  out.memory = read_int(s, "memory", where);
  out.bank_conflict = read_int(s, "bank_conflict", where);
  out.dependency = read_int(s, "dependency", where);
  out.weight_programming = read_int(s, "weight_programming", where);
  // Added with the cycle-level simulator: absent in older results.
  if (s.contains("dma")) out.dma = read_int(s, "dma", where);
  if (s.contains("back_pressure")) out.back_pressure = read_int(s, "back_pressure", where);
  return out;
}

}  // namespace

CostReport report_from_json(const json& doc, const Workload& w) {
  CostReport r;
  const json& ev = member(doc, "evaluator", "");
  if (!ev.is_string()) throw InputError(describe_location("report JSON", "evaluator", "expected a string"));
  r.evaluator = ev.get<std::string>();

  const json& total = member(doc, "total", "");
  r.total_cycles = read_int(total, "cycles", "total");
  const json& breakdown = member(total, "energy_breakdown_pj", "total");
  r.energy = energy_from_json(breakdown, "total.energy_breakdown_pj");
  r.static_energy_pj = read_number(breakdown, "static", "total.energy_breakdown_pj");
  r.actions = actions_from_json(member(total, "actions", "total"), "total.actions");
  const json& units = member(doc, "units", "");
  r.npu_busy_cycles = read_int(member(units, "npu", "units"), "busy_cycles", "units.npu");
  r.cim_busy_cycles = read_int(member(units, "cim", "units"), "busy_cycles", "units.cim");

  const json& layers = member(doc, "layers", "");
  if (!layers.is_array()) throw InputError(describe_location("report JSON", "layers", "expected an array"));
  if (layers.size() != w.layers.size())
    throw InputError(describe_location("report JSON", "layers",
                                       fmt::format("{} layers, but workload {} has {}", layers.size(), w.name, w.layers.size())));
  for (size_t i = 0; i < layers.size(); ++i) {
    const json& l = layers[i];
    const std::string where = fmt::format("layers[{}]", i);
    const json& name = member(l, "name", where);
    if (!name.is_string() || name.get<std::string>() != w.layers[i].name)
      throw InputError(describe_location("report JSON", where + ".name",
                                         fmt::format("expected layer {} of {}, got {}", w.layers[i].name, w.name, name.dump())));
    LayerCost c;
    c.layer = static_cast<int>(i);
    c.placement.npu_fraction = read_number(l, "npu_fraction", where);
    if (c.placement.npu_fraction < 0 || c.placement.npu_fraction > 1)
      throw InputError(describe_location("report JSON", where + ".npu_fraction", "expected a fraction in [0, 1]"));
    c.macs = read_int(l, "macs", where);
    c.compute_cycles = read_int(l, "compute_cycles", where);
    c.cycles = read_int(l, "cycles", where);
    c.start_cycle = read_int(l, "start_cycle", where);
    c.end_cycle = read_int(l, "end_cycle", where);
    c.npu_cycles = read_int(l, "npu_cycles", where);
    c.cim_cycles = read_int(l, "cim_cycles", where);
    c.utilization = read_number(l, "utilization", where);
    c.stalls = stalls_from_json(member(l, "stall_cycles", where), where + ".stall_cycles");
    c.actions = actions_from_json(member(l, "actions", where), where + ".actions");
    c.energy = energy_from_json(member(l, "energy_breakdown_pj", where), where + ".energy_breakdown_pj");
    r.layers.push_back(c);
  }
  return r;
}

std::string report_to_csv(const CostReport& r, const Workload& w) {
  std::ostringstream out;
  out << "name,op,unit,npu_fraction,macs,compute_cycles,start_cycle,end_cycle,cycles,utilization,energy_pj,";
  for (const EnergyComponent& k : kEnergyComponents) out << k.name << "_pj,";
  out << "stall_memory,stall_weight_programming,stall_bank_conflict,stall_dependency,npu_cycles,cim_cycles,"
         "stall_dma,stall_back_pressure\n";
  for (const LayerCost& c : r.layers) {
    const Layer& l = w.layers[c.layer];
    out << fmt::format("{},{},{},{},{},{},{},{},{},{:.4f},{:.3f},", l.name, layer_op_name(l), placement_name(c.placement),
                       c.placement.npu_fraction, c.macs, c.compute_cycles, c.start_cycle, c.end_cycle, c.cycles,
                       c.utilization, c.energy.total_pj());
    for (const EnergyComponent& k : kEnergyComponents) out << fmt::format("{:.3f},", c.energy.*k.pj);
    out << fmt::format("{},{},{},{},{},{},{},{}\n", c.stalls.memory, c.stalls.weight_programming, c.stalls.bank_conflict,
                       c.stalls.dependency, c.npu_cycles, c.cim_cycles, c.stalls.dma, c.stalls.back_pressure);
  }
  return out.str();
}

void finish_report(CostReport& r, const std::vector<double>& peak_macs_per_cycle, const HardwareSpec& hw) {
  for (size_t i = 0; i < r.layers.size(); ++i) {
    LayerCost& c = r.layers[i];
    const double peak = i < peak_macs_per_cycle.size() ? peak_macs_per_cycle[i] : 0;
    c.cycles = c.end_cycle - c.start_cycle;
    c.utilization = c.cycles > 0 && peak > 0 ? double(c.macs) / (peak * double(c.cycles)) : 0;
    c.energy = dynamic_energy(c.actions, hw.energy);
    r.actions += c.actions;
    r.energy += c.energy;
    r.npu_busy_cycles += c.npu_cycles;
    r.cim_busy_cycles += c.cim_cycles;
    r.total_cycles = std::max(r.total_cycles, c.end_cycle);
  }
  r.static_energy_pj = static_energy_pj(hw, r.total_cycles);
}

}  // namespace h4h
