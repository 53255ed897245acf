#include "nas/apps/simulate_child.h"

#include <exception>

#include <nlohmann/json.hpp>

#include "sim/blocksim/block_sim_evaluator.h"
#include "sim/simulate/cycle_evaluator.h"

namespace h4h {

using nlohmann::json;

std::string trace_title(const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  return w.name + " on " + hw.name + " (" + mapping.schema + ", systemc)";
}

ChildJob simulation_job(const Workload& w, const HardwareSpec& hw, const Mapping& mapping, bool want_trace,
                        SimFidelity fidelity, const std::string& sram_trace_dir) {
  return [&w, &hw, &mapping, want_trace, fidelity, sram_trace_dir]() -> std::string {
    EvalResult result;
    Trace trace;
    if (fidelity == SimFidelity::Block) {
      BlockSimEvaluator simulator(SimOptions{want_trace});
      result = simulator.evaluate(w, hw, mapping);
      trace = simulator.trace();
    } else {
      CycleSimOptions options;
      options.record_trace = want_trace;
      options.sram_trace_dir = sram_trace_dir;
      CycleSimEvaluator simulator(options);
      result = simulator.evaluate(w, hw, mapping);
      trace = simulator.trace();
    }
    if (!result.ok) return json{{"ok", false}, {"reason", result.reason}}.dump();
    json doc{{"ok", true}, {"report", report_to_json(result.report, w, hw, mapping)}};
    if (want_trace) doc["trace"] = trace_to_chrome_json(trace, hw.clock_hz(), trace_title(w, hw, mapping));
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
  };
}

SimulationOutcome read_simulation_outcome(const ChildResult& child, const Workload& w, bool want_trace) {
  SimulationOutcome out;
  if (!child.ok) {
    out.reason = "simulator: " + child.error;
    return out;
  }
  try {
    const json doc = json::parse(child.output);
    if (!doc.at("ok").get<bool>()) {
      out.reason = doc.at("reason").get<std::string>();
      return out;
    }
    out.report = report_from_json(doc.at("report"), w);
    if (want_trace) out.trace_json = doc.at("trace").get<std::string>();
    out.ok = true;
  } catch (const std::exception& e) {
    // The child wrote something the parent cannot read: a bug, not bad input.
    out = SimulationOutcome{};
    out.reason = std::string("unreadable simulator result: ") + e.what();
  }
  return out;
}

SimulationOutcome simulate_in_child(const Workload& w, const HardwareSpec& hw, const Mapping& mapping, bool want_trace,
                                    double timeout_seconds, SimFidelity fidelity, const std::string& sram_trace_dir) {
  return read_simulation_outcome(
      run_in_child(simulation_job(w, hw, mapping, want_trace, fidelity, sram_trace_dir), timeout_seconds), w, want_trace);
}

}  // namespace h4h
