#pragma once
// The Evaluator interface: the one contract shared by the analytical estimator (sim/estimate) and
// the cycle-level SystemC simulator (sim/systemc).
//
// Contract:
//  - evaluate() reads the workload (shape-inferred), the hardware spec and a mapping with one
//    placement per layer, and returns a CostReport: per-layer start/end cycles, compute cycles,
//    stalls, ActionCounts and energy (energy only via dynamic_energy() / static_energy_pj()).
//  - It never exits or throws for a valid input: a candidate that cannot run (an op the unit cannot
//    take, a split of a layer that has no channels to split, ...) is an EvalResult failure with a reason.
//  - MACs are conserved: the report's MACs equal the workload's.
//  - It is deterministic and safe to call from several threads on distinct instances.
#include <string>

#include "sim/core/cost_report.h"

namespace h4h {

// Which simulator `simulate`, `compare`, `validate`, `sweep --simulate` and a search's finalists run:
// the cycle-level model (sim/systemc, the default) or the block-level one (sim/blocksim).
enum class SimFidelity { Cycle, Block };
inline const char* fidelity_name(SimFidelity f) { return f == SimFidelity::Cycle ? "cycle" : "block"; }

class Evaluator {
 public:
  virtual ~Evaluator() = default;
  virtual std::string name() const = 0;
  virtual EvalResult evaluate(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping) = 0;
};

}  // namespace h4h
