#pragma once
// INpuEngine: one NPU datapath model, registered under its `npu.engine` name
// (npu_engine_registry.h). The estimator, the mapping and the simulator's lowering reach an engine
// only through this interface, so adding an engine is a new folder under sim/engines/ with one
// class and one H4H_REGISTER_NPU_ENGINE line; no other file names it.
//
// Contract (every method):
//  - a pure function of its arguments: the same (layer, precision, spec) always gives the same
//    result, on any thread;
//  - `layer` is a valid, shape-inferred layer (workload.h); an op the engine cannot run gives
//    `supported == false` with a reason, never an exception;
//  - the engine reads the keys of NpuSpec that are its own (documented in its header) and the shared
//    port keys; it may ignore the others.
// estimate() and lower() describe the same work: lower(...).compute_cycles() == estimate(...).
// compute_cycles and lower()'s byte totals equal estimate()'s byte counts (npu_model.h). The
// simulator's cycle-level datapath for an engine (issue 22) joins this interface when it exists;
// today the SystemC model replays lower()'s block schedule.
#include <string>

#include "sim/engines/npu_model.h"

namespace h4h {

class INpuEngine {
 public:
  virtual ~INpuEngine() = default;

  // The `npu.engine` value this engine answers to (lower-case, e.g. "ethos-u55").
  virtual std::string name() const = 0;

  // What the datapath needs for `layer` on its own (no memory stalls) and the bytes it moves.
  virtual NpuComputeEstimate estimate(const Layer& layer, const Precision& precision, const NpuSpec& npu) const = 0;

  // The layer lowered to the engine's command stream: ops of block-pipelined commands.
  virtual NpuSchedule lower(const Layer& layer, const Precision& precision, const NpuSpec& npu) const = 0;

  // MACs the datapath can do in one cycle at full use (utilisation and peak TOPS).
  virtual double peak_macs_per_cycle(const NpuSpec& npu) const = 0;

  // One line for `h4h hw show`, e.g. "ethos-u55, 256 MACs/cycle, SHRAM 48 KB".
  virtual std::string describe(const NpuSpec& npu) const = 0;
};

}  // namespace h4h
