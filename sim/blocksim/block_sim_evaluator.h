#pragma once
// The cycle-level SystemC simulator behind the Evaluator interface.
// Contract (in addition to evaluator.h): SystemC elaborates once per process, so evaluate() may be
// called at most once per process (a second call returns a failure); run it in a child process
// (sim/core/subprocess.h) when a program simulates more than one candidate. Same inputs give
// identical reports. Action counts are the same quantities the estimator reports (MACs and bytes
// per memory conserved); stalls are split by cause.
#include "sim/core/evaluator.h"
#include "sim/core/trace.h"

namespace h4h {

struct SimOptions {
  bool record_trace = false;
};

class BlockSimEvaluator : public Evaluator {
 public:
  explicit BlockSimEvaluator(SimOptions options = {}) : options_(options) {}
  std::string name() const override { return "systemc"; }
  EvalResult evaluate(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping) override;
  // Filled by evaluate() when options.record_trace.
  const Trace& trace() const { return trace_; }

 private:
  SimOptions options_;
  Trace trace_;
};

}  // namespace h4h
