#include "sim/estimate/analytical_evaluator.h"

#include <algorithm>

#include "sim/core/cim_geometry.h"
#include "sim/estimate/unit_cost.h"

namespace h4h {

EvalResult AnalyticalEvaluator::evaluate(const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  if (mapping.layers.size() != w.layers.size())
    return EvalResult::failure("the mapping has " + std::to_string(mapping.layers.size()) + " placements for " +
                               std::to_string(w.layers.size()) + " layers");
  EvalResult result;
  CostReport& r = result.report;
  r.evaluator = name();
  r.layers.reserve(w.layers.size());
  std::vector<bool> resident(w.layers.size(), false);
  if (hw.cim.present) {
    const std::string problem = cim_residency_problem(w, mapping, hw.cim);
    if (!problem.empty()) return EvalResult::failure(problem);
    resident = plan_cim_residency(w, mapping, hw.cim);
  }
  int64_t npu_free = 0, cim_free = 0;
  const uint64_t fingerprint = hardware_fingerprint(hw);
  UnitCost scratch;
  auto unit_cost = [&](const Layer& part, Unit u, bool is_resident) -> const UnitCost& {
    if (memoize_)
      return u == Unit::Npu ? cache_.npu(part, w.precision, hw, fingerprint)
                            : cache_.cim(part, w.precision, hw, fingerprint, is_resident);
    scratch = u == Unit::Npu ? npu_layer_cost(part, w.precision, hw) : cim_layer_cost(part, w.precision, hw, is_resident);
    return scratch;
  };

  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    const Placement& p = mapping.layers[i];
    for (Unit u : {Unit::Npu, Unit::Cim}) {
      bool uses = u == Unit::Npu ? p.on_npu() : p.on_cim();
      if (uses && !unit_supports(u, l.op)) return EvalResult::failure("layer '" + l.name + "': " + unsupported_reason(u, l.op));
    }
    if (p.on_cim() && !hw.cim.present) return EvalResult::failure("layer '" + l.name + "' is placed on the CIM, but " + hw.name + " has no CIM");
    if (p.split() && splittable_channels(l) < 2)
      return EvalResult::failure("layer '" + l.name + "' (" + layer_op_name(l) + ") cannot be split by output channels");

    int64_t ready = 0;
    for (int producer : l.inputs) ready = std::max(ready, r.layers[producer].end_cycle);

    LayerCost c;
    c.layer = static_cast<int>(i);
    c.placement = p;
    c.start_cycle = INT64_MAX;
    double peak = 0;
    auto run_part = [&](Unit u) {
      const UnitCost& uc = p.split() ? unit_cost(layer_part(l, u, p), u, resident[i]) : unit_cost(l, u, resident[i]);
      int64_t& free = u == Unit::Npu ? npu_free : cim_free;
      const int64_t start = std::max(ready, free);
      c.stalls.dependency += std::max<int64_t>(0, start - free);
      free = start + uc.cycles;
      c.start_cycle = std::min(c.start_cycle, start);
      c.end_cycle = std::max(c.end_cycle, free);
      c.compute_cycles = std::max(c.compute_cycles, uc.compute_cycles);
      c.stalls.memory += uc.memory_stall;
      c.stalls.weight_programming += uc.programming_cycles;
      (u == Unit::Npu ? c.npu_cycles : c.cim_cycles) = uc.cycles;
      c.actions += uc.actions;
      c.macs += uc.actions.npu_macs + uc.actions.cim_macs;
      peak += uc.peak_macs_per_cycle;
    };
    if (p.on_npu()) run_part(Unit::Npu);
    if (p.on_cim()) run_part(Unit::Cim);
    c.cycles = c.end_cycle - c.start_cycle;
    c.utilization = c.cycles > 0 && peak > 0 ? double(c.macs) / (peak * double(c.cycles)) : 0;
    c.energy = dynamic_energy(c.actions, hw.energy);
    r.actions += c.actions;
    r.energy += c.energy;
    r.npu_busy_cycles += c.npu_cycles;
    r.cim_busy_cycles += c.cim_cycles;
    r.total_cycles = std::max(r.total_cycles, c.end_cycle);
    r.layers.push_back(c);
  }
  r.static_energy_pj = static_energy_pj(hw, r.total_cycles);
  result.ok = true;
  return result;
}

}  // namespace h4h
