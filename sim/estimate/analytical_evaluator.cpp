#include "sim/estimate/analytical_evaluator.h"

#include <algorithm>

#include "sim/core/cim_geometry.h"
#include "sim/core/sram_allocator.h"
#include "sim/estimate/unit_cost.h"

namespace h4h {

namespace {

// "" when layer `l` can run as placed; otherwise why not.
std::string layer_problem(const Layer& l, const Placement& p, const HardwareSpec& hw, bool resident,
                          int64_t free_subarrays) {
  if (std::string problem = placement_problem(l, p, hw); !problem.empty()) return problem;
  if (p.on_cim() && !resident && free_subarrays <= 0)
    return "layer '" + l.name + "' is not resident in the CIM and no MRAM sub-array is left free to program it";
  return "";
}

}  // namespace

EvalResult AnalyticalEvaluator::evaluate(const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  if (mapping.layers.size() != w.layers.size())
    return EvalResult::failure("the mapping has " + std::to_string(mapping.layers.size()) + " placements for " +
                               std::to_string(w.layers.size()) + " layers");
  // The activations must have addresses in the shared SRAM over their lifetimes, as the simulator's
  // lowering gives them (same allocator, same reason).
  if (const SramAllocation a = allocate_activations(w, hw); !a.ok) return EvalResult::failure(sram_fit_reason(hw, a));
  std::vector<bool> resident(w.layers.size(), false);
  int64_t free_subarrays = 0;
  if (hw.cim.present) {
    const std::string problem = cim_residency_problem(w, mapping, hw.cim);
    if (!problem.empty()) return EvalResult::failure(problem);
    resident = plan_cim_residency(w, mapping, hw.cim);
    // Sub-arrays left for streamed parts (a streamed part with none left fails, as in the simulator).
    bool streamed = false;
    for (size_t i = 0; i < w.layers.size() && !streamed; ++i) streamed = mapping.layers[i].on_cim() && !resident[i];
    if (streamed) {
      free_subarrays = hw.cim.macros * int64_t(hw.cim.subarrays_per_macro);
      for (size_t i = 0; i < w.layers.size(); ++i) {
        if (!resident[i]) continue;
        const Layer& l = w.layers[i];
        free_subarrays -= mapping.layers[i].split() ? cim_tiles(layer_part(l, Unit::Cim, mapping.layers[i]), hw.cim)
                                                    : cim_tiles(l, hw.cim);
      }
    }
  }
  const uint64_t fingerprint = hardware_fingerprint(hw);

  // Each layer's parts with their costs alone, in network order (NPU part first).
  std::vector<UnitCost>& costs = costs_;
  std::vector<TimelinePart>& parts = parts_;
  std::vector<std::vector<int>>& producers = producers_;
  costs.clear();
  parts.clear();
  producers.resize(w.layers.size());
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    const Placement& p = mapping.layers[i];
    const std::string problem = layer_problem(l, p, hw, resident[i], free_subarrays);
    if (!problem.empty()) return EvalResult::failure(problem);
    producers[i] = l.inputs;
    for (Unit u : {Unit::Npu, Unit::Cim}) {
      if (!(u == Unit::Npu ? p.on_npu() : p.on_cim())) continue;
      Layer split_part;
      if (p.split()) split_part = layer_part(l, u, p);
      const Layer& part = p.split() ? split_part : l;
      if (u == Unit::Npu)
        costs.push_back(memoize_ ? cache_.npu(part, w.precision, hw, fingerprint) : npu_layer_cost(part, w.precision, hw));
      else
        costs.push_back(memoize_ ? cache_.cim(part, w.precision, hw, fingerprint, resident[i], free_subarrays)
                                 : cim_layer_cost(part, w.precision, hw, resident[i], free_subarrays));
      parts.push_back(timeline_part(int(i), u, costs.back()));
    }
  }
  if (!schedule_parts(parts, producers, hw.external.bytes_per_cycle, timing_))
    return EvalResult::failure("a layer reads a producer listed after it");
  const std::vector<PartTiming>& timing = timing_;

  EvalResult result;
  CostReport& r = result.report;
  r.evaluator = name();
  r.layers.resize(w.layers.size());
  std::vector<bool> started(w.layers.size(), false);
  std::vector<double> peak(w.layers.size(), 0);  // MACs/cycle of the units a layer uses
  int64_t unit_free[2] = {0, 0};
  for (size_t k = 0; k < parts.size(); ++k) {
    const TimelinePart& t = parts[k];
    const UnitCost& uc = costs[k];
    const PartTiming& at = timing[k];
    LayerCost& c = r.layers[size_t(t.layer)];
    if (!started[size_t(t.layer)]) {
      started[size_t(t.layer)] = true;
      c.layer = t.layer;
      c.placement = mapping.layers[size_t(t.layer)];
      c.start_cycle = at.start;
    }
    const int u = t.unit == Unit::Npu ? 0 : 1;
    const int64_t busy = at.end - at.start;
    c.stalls.dependency += std::max<int64_t>(0, at.start - unit_free[u]);
    unit_free[u] = at.end;
    c.start_cycle = std::min(c.start_cycle, at.start);
    c.end_cycle = std::max(c.end_cycle, at.end);
    c.compute_cycles = std::max(c.compute_cycles, uc.compute_cycles);
    // Sharing the external memory delays the NPU's weight stream (a memory stall) or the CIM's
    // programming fetch.
    c.stalls.memory += uc.memory_stall + (u == 0 ? at.contention : 0);
    c.stalls.weight_programming += uc.programming_cycles + (u == 1 ? at.contention : 0);
    (u == 0 ? c.npu_cycles : c.cim_cycles) = busy;
    c.actions += uc.actions;
    c.macs += uc.actions.npu_macs + uc.actions.cim_macs;
    peak[size_t(t.layer)] += uc.peak_macs_per_cycle;
  }
  for (size_t i = 0; i < w.layers.size(); ++i) {
    LayerCost& c = r.layers[i];
    if (!started[i]) c.layer = int(i), c.placement = mapping.layers[i];
  }
  finish_report(r, peak, hw);
  result.ok = true;
  return result;
}

}  // namespace h4h
