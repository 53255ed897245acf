#pragma once
// Test support: the cycle-level simulator (CycleSimEvaluator) in a forked child (SystemC elaborates
// once per process), its outcome sent back as JSON (tests/support/sim_child.h).
#include <string>

#include "sim/simulate/cycle_evaluator.h"
#include "tests/support/sim_child.h"

namespace h4h::test {

inline SimOutcome simulate_cycle(const Workload& w, const HardwareSpec& hw, const Mapping& m,
                                 const CycleSimOptions& options = {}, double timeout_seconds = 120) {
  const ChildResult r = run_in_child(
      [&]() {
        CycleSimEvaluator sim(options);
        const EvalResult result = sim.evaluate(w, hw, m);
        return outcome_to_json(result, w, hw, m, options.record_trace ? &sim.trace() : nullptr);
      },
      timeout_seconds);
  if (!r.ok) {
    SimOutcome o;
    o.reason = "child failed: " + r.error;
    return o;
  }
  return outcome_from_json(r.output, w);
}

}  // namespace h4h::test
