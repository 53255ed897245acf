// BlockSimEvaluator: builds the plan, elaborates the SoC once, simulates, and turns the per-part
// records into a CostReport (energy only through dynamic_energy / static_energy_pj).
#include "sim/blocksim/block_sim_evaluator.h"

#include <cstdlib>
#include <exception>

#include <systemc>

#include "sim/core/sram_allocator.h"
#include "sim/engines/npu_engine_registry.h"
#include "sim/blocksim/sim_plan.h"
#include "sim/blocksim/soc_top.h"

namespace h4h {

namespace {

// Never print (stdout belongs to the caller): errors become exceptions, the rest is dropped.
void quiet_systemc() {
  using namespace sc_core;
  sc_report_handler::set_handler([](const sc_report& report, const sc_actions&) {
    if (report.get_severity() >= SC_ERROR) throw report;
  });
}

CostReport assemble(const Workload& w, const HardwareSpec& hw, const Mapping& mapping, const blocksim::SimPlan& plan,
                    const std::vector<blocksim::PartRecord>& records, const std::vector<int64_t>& dependency) {
  CostReport r;
  r.evaluator = "systemc";
  r.layers.reserve(w.layers.size());
  std::vector<double> peaks;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    LayerCost c;
    c.layer = int(i);
    c.placement = mapping.layers[i];
    c.start_cycle = plan.layers[i].parts.empty() ? 0 : INT64_MAX;
    double peak = 0;
    for (int p : plan.layers[i].parts) {
      const blocksim::PartRecord& rec = records[size_t(p)];
      const Unit u = plan.parts[size_t(p)].unit;
      const int64_t busy = rec.end - rec.start;
      c.start_cycle = std::min(c.start_cycle, rec.start);
      c.end_cycle = std::max(c.end_cycle, rec.end);
      c.compute_cycles = std::max(c.compute_cycles, rec.compute_cycles);
      (u == Unit::Npu ? c.npu_cycles : c.cim_cycles) = busy;
      c.stalls.dependency += dependency[size_t(p)];
      c.stalls.weight_programming += rec.programming_cycles;
      c.stalls.bank_conflict += rec.bank_conflict;
      c.stalls.memory += std::max<int64_t>(0, busy - rec.compute_cycles - rec.programming_cycles - rec.bank_conflict);
      c.actions += rec.actions;
      peak += peak_macs_per_cycle(u, hw, w.precision.activation_bits);
    }
    c.macs = c.actions.npu_macs + c.actions.cim_macs;
    r.layers.push_back(c);
    peaks.push_back(peak);
  }
  finish_report(r, peaks, hw);
  return r;
}

}  // namespace

EvalResult BlockSimEvaluator::evaluate(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping) {
  static bool elaborated = false;
  trace_ = Trace{};
  if (elaborated)
    return EvalResult::failure(
        "the SystemC simulator runs once per process (SystemC elaborates once); run each simulation in a child "
        "process (sim/core/subprocess.h)");
  if (const SramAllocation a = allocate_activations(workload, hw); !a.ok) return EvalResult::failure(sram_fit_reason(hw, a));
  blocksim::SimPlan plan;
  std::string reason;
  if (!blocksim::build_plan(workload, hw, mapping, &plan, &reason)) return EvalResult::failure(reason);

  elaborated = true;
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  quiet_systemc();
  std::vector<blocksim::PartRecord> records(plan.parts.size());
  std::vector<int64_t> dependency(plan.parts.size(), 0);
  Trace* trace = options_.record_trace ? &trace_ : nullptr;
  try {
    // Lives until the process ends: SystemC keeps the module hierarchy for the whole run.
    auto* top = new blocksim::SocTop("soc", hw, plan, records, dependency, trace);
    sc_core::sc_start();
    if (trace) top->finish_trace();
  } catch (const sc_core::sc_report& e) {
    return EvalResult::failure(std::string("SystemC: ") + e.what());
  } catch (const std::exception& e) {
    return EvalResult::failure(std::string("simulation failed: ") + e.what());
  }
  for (size_t p = 0; p < records.size(); ++p)
    if (!records[p].done)
      return EvalResult::failure("simulation stopped before layer '" + plan.parts[p].name + "' finished (deadlock)");
  EvalResult result;
  result.report = assemble(workload, hw, mapping, plan, records, dependency);
  result.ok = true;
  return result;
}

}  // namespace h4h
