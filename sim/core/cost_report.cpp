#include "sim/core/cost_report.h"

#include <sstream>

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
  return json{{"mac", e.mac_pj},         {"elementwise", e.elementwise_pj}, {"sram", e.sram_pj},
              {"external", e.external_pj}, {"mram_read", e.mram_read_pj},   {"mram_write", e.mram_write_pj}};
}

json actions_json(const ActionCounts& a) {
  return json{{"npu_macs", a.npu_macs},
              {"npu_elementwise_ops", a.npu_elementwise_ops},
              {"cim_macs", a.cim_macs},
              {"cim_cu_ops", a.cim_cu_ops},
              {"sram_read_bytes", a.sram_read_bytes},
              {"sram_write_bytes", a.sram_write_bytes},
              {"external_read_bytes", a.external_read_bytes},
              {"external_write_bytes", a.external_write_bytes},
              {"mram_read_bits", a.mram_read_bits},
              {"mram_write_bits", a.mram_write_bits}};
}

json stalls_json(const StallCycles& s) {
  return json{{"memory", s.memory}, {"bank_conflict", s.bank_conflict}, {"dependency", s.dependency},
              {"weight_programming", s.weight_programming}};
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

std::string report_to_csv(const CostReport& r, const Workload& w) {
  std::ostringstream out;
  out << "name,op,unit,npu_fraction,macs,compute_cycles,start_cycle,end_cycle,cycles,utilization,energy_pj,"
         "mac_pj,elementwise_pj,sram_pj,external_pj,mram_read_pj,mram_write_pj,stall_memory,stall_weight_programming\n";
  for (const LayerCost& c : r.layers) {
    const Layer& l = w.layers[c.layer];
    out << fmt::format("{},{},{},{},{},{},{},{},{},{:.4f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{:.3f},{},{}\n", l.name,
                       layer_op_name(l), placement_name(c.placement), c.placement.npu_fraction, c.macs, c.compute_cycles,
                       c.start_cycle, c.end_cycle, c.cycles, c.utilization, c.energy.total_pj(), c.energy.mac_pj,
                       c.energy.elementwise_pj, c.energy.sram_pj, c.energy.external_pj, c.energy.mram_read_pj,
                       c.energy.mram_write_pj, c.stalls.memory, c.stalls.weight_programming);
  }
  return out.str();
}

}  // namespace h4h
