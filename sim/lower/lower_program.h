#pragma once
// The compiler in front of the cycle-level simulator: a mapped workload to a Program
// (sim/systemc/program.h) — per-unit command streams with the shared-SRAM address of every
// activation tensor, the external-memory address of every weight, and each CIM tile's MRAM slot.
//
// Contract:
//  - Fails (ok == false, with a reason naming the layer or tensor) where the workload cannot run as
//    mapped: a placement count that does not match, an op a unit cannot run, a CIM placement without
//    a CIM, a split of an unsplittable layer, weights that must stay resident but do not fit the MRAM,
//    weights that do not fit and `cim.reprogram: never`, activations that do not fit the shared SRAM
//    (sram_allocator.h), an NPU engine with no lowering for a layer.
//  - Activations: one tensor per layer output (and per network input), allocated over their
//    lifetimes with allocate_sram (aligned to sram.interleave_bytes, at least 16 bytes). A layer
//    split between the units writes its NPU part's channels first in the output range, then the CIM's.
//  - Weights (+ biases) of every NPU and CIM part live in external memory, laid out in network order,
//    16-byte aligned. Matmul's second operand is an activation (SRAM).
//  - MRAM: tiles of layers whose weights stay resident (plan_cim_residency) are placed first, in
//    network order, round-robin over the macros' free sub-arrays, and are programmed before the run
//    (not part of the inference: their Run commands carry weights_id 0). Under
//    `cim.reprogram: per_inference` a layer that is not resident is programmed into the sub-arrays
//    left free, in as few rounds as they allow, each round a Program then a Run command.
//  - NPU: ethos-u55 layers become U55 commands (ethos_u55_lowering.h); systolic layers with MACs
//    become SystolicCommands (SCALE-Sim's unpadded convolution over the padded input extent; groups,
//    depthwise channels and matmul batches as repeats), others VectorCommands on array_cols lanes.
//  - Deterministic; no cycle counts anywhere in the result.
#include <string>

#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"
#include "sim/systemc/program.h"

namespace h4h {

struct LoweredProgram {
  bool ok = false;
  std::string reason;
  cyc::Program program;
};

LoweredProgram lower_program(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping);

}  // namespace h4h
