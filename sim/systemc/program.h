#pragma once
// Program: what the compiler (sim/lower) hands the cycle-level simulator — one command stream per
// unit with real addresses, and the dependencies between them. Data only: no durations, no cycle
// counts, no bandwidths; the simulator's processes make all of those by acting cycle by cycle.
//
// Contract:
//  - `tasks` are in network order. Each task runs on one unit; a unit runs its tasks one after
//    another in this order (its command stream). A task starts when every task in `after` has
//    finished and its unit has finished its previous task.
//  - Addresses: activation tensors are in the shared SRAM (MemoryTarget::Sram, byte addresses from
//    the allocator, never overlapping while both are live); weights are in external memory.
//  - Systolic and vector commands name their tensors by base address; element e of a tensor with
//    `element_bytes`-byte elements is at base + e * element_bytes (NHWC order).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/capability.h"
#include "sim/core/hardware.h"
#include "sim/systemc/cim/cim_command.h"
#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/npu/ethos_u55/u55_command.h"
#include "sim/systemc/npu/systolic/systolic_layer.h"

namespace h4h::cyc {

// A tensor's bytes in one memory.
struct TensorRef {
  MemoryTarget memory = MemoryTarget::Sram;
  int64_t address = 0;
  int64_t bytes = 0;
};

// A systolic-array layer part: `repeats` SCALE-Sim layers of one shape run one after another
// (convolution groups, depthwise channels, matmul batches), repeat r reading its ifmap, filters and
// ofmap at the base + r * (the operand's bytes per repeat).
struct SystolicCommand {
  SystolicLayerShape shape;
  int64_t repeats = 1;
  int element_bytes = 1;
  TensorRef ifmap, filter, ofmap;  // whole-part ranges (all repeats)
  int64_t macs = 0;                // MACs of the whole part (the layer's useful products)
};

// Work without MACs on the NPU's vector path: `elements` outputs, `lanes` per step, each step
// `passes` passes through the lanes (fractional: a step finishes when its accumulated passes reach
// the value); operands streamed from SRAM in order, outputs written in order.
struct VectorCommand {
  int64_t elements = 0;
  int lanes = 1;
  double passes = 1;
  std::vector<TensorRef> inputs;
  TensorRef output;
};

struct NpuTask {
  std::variant<SystolicCommand, std::vector<U55Command>, VectorCommand> body;
};

struct CimTask {
  std::vector<CimCommand> commands;  // Program and Run commands in order
};

struct Task {
  int layer = 0;  // index into the workload
  std::string name;
  Unit unit = Unit::Npu;
  std::vector<int> after;  // indices of tasks that must finish first
  std::variant<NpuTask, CimTask> work;
};

// One allocated tensor, for reports and traces.
struct AllocatedTensor {
  std::string name;
  TensorRef where;
};

struct Program {
  std::vector<Task> tasks;
  std::vector<AllocatedTensor> tensors;
  int64_t sram_peak_bytes = 0;
};

}  // namespace h4h::cyc
