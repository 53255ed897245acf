#pragma once
// The cycle-level simulator behind the Evaluator interface: lower_program (the compiler, sim/lower)
// then simulate_program (the clocked SystemC model, sim/systemc), and the per-task measurements
// assembled into a CostReport.
// Contract (in addition to evaluator.h): SystemC elaborates once per process, so evaluate() may be
// called at most once per process (a second call returns a failure); run it in a child process
// (sim/core/subprocess.h) to simulate several candidates. Same inputs give identical reports.
// Per layer: cycles from the first cycle one of its tasks acted to the cycle after the last ended;
// compute_cycles as the units measured them (no memory stall; a split layer: its slower part);
// stalls by cause as the units counted them, plus dependency; action counts as the processes and
// memory ports counted them; energy = dynamic_energy(actions) only. MACs reported are those the
// datapaths performed (the Ethos-U55 counts padding taps, as its array multiplies them).
#include "sim/core/evaluator.h"
#include "sim/core/trace.h"

namespace h4h {

struct CycleSimOptions {
  bool record_trace = false;
  std::string sram_trace_dir;  // per systolic layer, SCALE-Sim v2 SRAM traces (empty: none)
  int64_t max_cycles = 0;      // 0: no limit
};

class CycleSimEvaluator : public Evaluator {
 public:
  explicit CycleSimEvaluator(CycleSimOptions options = {}) : options_(std::move(options)) {}
  std::string name() const override { return "systemc"; }
  EvalResult evaluate(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping) override;
  const Trace& trace() const { return trace_; }

 private:
  CycleSimOptions options_;
  Trace trace_;
};

}  // namespace h4h
