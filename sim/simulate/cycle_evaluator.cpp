#include "sim/simulate/cycle_evaluator.h"

#include <algorithm>

#include "sim/core/cim_geometry.h"
#include "sim/engines/npu_engine_registry.h"
#include "sim/lower/lower_program.h"
#include "sim/systemc/soc_top.h"

namespace h4h {

EvalResult CycleSimEvaluator::evaluate(const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  trace_ = Trace{};
  const LoweredProgram lowered = lower_program(w, hw, mapping);
  if (!lowered.ok) return EvalResult::failure(lowered.reason);
  cyc::SimulationOptions options;
  options.sram_trace_dir = options_.sram_trace_dir;
  options.record_trace = options_.record_trace;
  options.max_cycles = options_.max_cycles;
  const cyc::SimulationResult sim =
      cyc::simulate_program(lowered.program, hw, options, options_.record_trace ? &trace_ : nullptr);
  if (!sim.ok) return EvalResult::failure(sim.reason);

  CostReport r;
  r.evaluator = "systemc";
  r.layers.resize(w.layers.size());
  std::vector<double> peak(w.layers.size(), 0);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    r.layers[i].layer = int(i);
    r.layers[i].placement = mapping.layers[i];
    r.layers[i].start_cycle = INT64_MAX;
  }
  for (size_t t = 0; t < lowered.program.tasks.size(); ++t) {
    const cyc::Task& task = lowered.program.tasks[t];
    const cyc::TaskResult& res = sim.tasks[t];
    LayerCost& c = r.layers[size_t(task.layer)];
    const int64_t busy = res.record.end - res.record.start;
    c.start_cycle = std::min(c.start_cycle, res.record.start);
    c.end_cycle = std::max(c.end_cycle, res.record.end);
    c.compute_cycles = std::max(c.compute_cycles, res.record.compute_cycles);
    (task.unit == Unit::Npu ? c.npu_cycles : c.cim_cycles) = busy;
    c.stalls.memory += res.record.stalls.memory;
    c.stalls.bank_conflict += res.record.stalls.bank_conflict;
    c.stalls.weight_programming += res.record.stalls.weight_programming;
    c.stalls.dma += res.record.stalls.dma;
    c.stalls.back_pressure += res.record.stalls.back_pressure;
    c.stalls.dependency += res.dependency_stall;
    c.actions += res.record.actions;
    c.actions += res.memory_actions;
    peak[size_t(task.layer)] += peak_macs_per_cycle(task.unit, hw, w.precision.activation_bits);
  }
  for (size_t i = 0; i < w.layers.size(); ++i) {
    LayerCost& c = r.layers[i];
    if (c.start_cycle == INT64_MAX) c.start_cycle = c.end_cycle = 0;
    c.macs = count_layer(w.layers[i], w.precision).macs;  // the layer's; actions hold what the datapaths performed
  }
  finish_report(r, peak, hw);
  EvalResult result;
  result.ok = true;
  result.report = std::move(r);
  return result;
}

}  // namespace h4h
