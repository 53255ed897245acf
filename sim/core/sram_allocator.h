#pragma once
// Addresses in the shared SRAM for the tensors of a mapped workload, as a compiler lays them out
// before a command stream can name them (Vela's tensor allocation). Every tensor gets an address
// range that no other tensor holds while both are live; tensors whose lifetimes do not overlap
// may share addresses.
//
// A tensor is live from the step that writes it (its producer's position in execution order; 0
// for a network input, preloaded before the first step) to the last step that reads it,
// inclusive. The allocator places tensors largest first (ties: earlier first, then by name), each
// at the lowest `alignment`-aligned address where it collides with no placed tensor whose lifetime
// overlaps its own (greedy by size, the heuristic Vela falls back to). Deterministic.
// Not fitting `capacity_bytes` is a value with a reason, never an exception.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

struct TensorLifetime {
  std::string name;  // for reasons and traces: "LAYER.out", "LAYER.in"
  int64_t bytes = 0;
  int first_step = 0, last_step = 0;  // inclusive; first_step <= last_step
};

struct SramAllocation {
  bool ok = false;
  std::string reason;              // why not (the first tensor that did not fit and what was free)
  std::vector<int64_t> address;    // per tensor, byte address (same order as the input)
  int64_t peak_bytes = 0;          // highest end address used
};

// Throws std::invalid_argument on a malformed request (negative bytes, last < first, alignment < 1):
// a programming error, not bad user input.
SramAllocation allocate_sram(const std::vector<TensorLifetime>& tensors, int64_t capacity_bytes, int64_t alignment);

// The activation tensors of `workload` in its list order (a topological order; step i = layer i):
// one output tensor per layer that produces data, live until its last consumer (to the end of the
// run when nothing consumes it: a network output); one input tensor per layer that reads its
// operands from memory (`inputs` empty), live from step 0 to that layer.
std::vector<TensorLifetime> activation_lifetimes(const Workload& workload);

// The workload's activations in hw's shared SRAM (sram.size_kb), aligned to max(16,
// sram.interleave_bytes): the addresses the simulator's lowering uses, and the feasibility check
// both evaluators make. `lifetimes` (optional) receives activation_lifetimes(workload).
SramAllocation allocate_activations(const Workload& workload, const HardwareSpec& hw,
                                    std::vector<TensorLifetime>* lifetimes = nullptr);
// Why the activations do not fit (an allocation that failed), as both evaluators report it.
std::string sram_fit_reason(const HardwareSpec& hw, const SramAllocation& allocation);

}  // namespace h4h
