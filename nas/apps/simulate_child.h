#pragma once
// Runs the SystemC simulator in a child process (SystemC elaborates once per process) and brings
// the report (and optionally the Chrome trace) back to the parent. Shared by `h4h simulate` and
// `h4h compare`, `h4h sweep --simulate` and `h4h validate`.
// Contract: inputs are resolved and validated by the caller before this is called, so any failure
// here is a failed simulation (exit 1), not bad input: the child crashed, timed out, or the
// simulator returned an EvalResult failure. Never throws for those; `reason` says why.
#include <string>

#include "sim/core/cost_report.h"
#include "sim/core/evaluator.h"
#include "sim/core/subprocess.h"

namespace h4h {

struct SimulationOutcome {
  bool ok = false;
  std::string reason;       // why it failed (ok == false)
  CostReport report;        // evaluator "systemc"
  std::string trace_json;   // Chrome trace-event JSON, when asked for
};

// `timeout_seconds` <= 0: no limit. The child sends {"ok": true, "report": <report_to_json>,
// "trace": "<chrome json text>"} or {"ok": false, "reason": "..."} as one JSON document.
// `sram_trace_dir` (cycle fidelity): SCALE-Sim traces of the systolic layers go there.
SimulationOutcome simulate_in_child(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping,
                                    bool want_trace, double timeout_seconds, SimFidelity fidelity,
                                    const std::string& sram_trace_dir = "");

// The two halves of simulate_in_child, for callers that run many simulations in a pool
// (run_pool of sim/core/subprocess.h): the job a child runs, and reading its result back. The
// job holds references to its arguments; they must outlive it.
ChildJob simulation_job(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping, bool want_trace,
                        SimFidelity fidelity, const std::string& sram_trace_dir = "");
SimulationOutcome read_simulation_outcome(const ChildResult& child, const Workload& workload, bool want_trace);

// Title of a trace: "<workload> on <hw> (<mapping schema>, systemc)".
std::string trace_title(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping);

}  // namespace h4h
