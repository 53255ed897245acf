#pragma once
// The controller: runs the mapped workload as a DAG on the NPU and the CIM.
//
// Contract (the estimator's list schedule, sim/estimate/analytical_evaluator.h):
//  - Each unit has an in-order queue of layer parts (network order). A part starts when every
//    producer layer has ended and its unit has finished the previous part, so NPU and CIM parts run
//    concurrently where the DAG allows; the wait beyond the unit's previous part is the part's
//    dependency stall.
//  - A layer split across NPU and CIM ends when both parts have ended.
//  - With tracing, each part is a span (category "layer") on its unit's track ("npu", "cim").
#include <vector>

#include <systemc>

#include "sim/core/trace.h"
#include "sim/blocksim/unit_job.h"

namespace h4h::blocksim {

struct LayerJobs {
  std::vector<int> producers;
  std::vector<int> parts;  // indices into the part list
};

class Controller : public sc_core::sc_module {
 public:
  sc_core::sc_port<UnitIf> npu, cim;

  // `parts` and `records` (one per part) must outlive the simulation.
  Controller(sc_core::sc_module_name name, const std::vector<LayerJobs>& layers, const std::vector<PartJob>& parts,
             std::vector<PartRecord>& records, std::vector<int64_t>& dependency_stalls, Trace* trace);

 private:
  void run_unit(Unit unit);
  void npu_thread() { run_unit(Unit::Npu); }
  void cim_thread() { run_unit(Unit::Cim); }

  const std::vector<LayerJobs>& layers_;
  const std::vector<PartJob>& parts_;
  std::vector<PartRecord>& records_;
  std::vector<int64_t>& dependency_;  // per part
  std::vector<int> parts_left_;       // per layer
  sc_core::sc_event layer_done_;
  Trace* trace_;
};

}  // namespace h4h::blocksim
