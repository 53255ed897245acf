#pragma once
// Analytical cost of one layer (or one part of a split layer) on one unit, memory included.
// Memory model (Vela's): a layer takes max(compute, bytes / bandwidth for each memory it touches)
// plus the access latency of the slowest memory it touches once. Activations live in the shared
// SRAM; NPU weights stream from external memory; CIM weights are resident in MRAM or are
// reprogrammed (external read + row-by-row MRAM write) before the layer computes.
#include <cstdint>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

struct UnitCost {
  int64_t compute_cycles = 0;
  int64_t cycles = 0;             // compute + memory stalls + programming
  int64_t memory_stall = 0;
  int64_t programming_cycles = 0; // CIM weight (re)programming
  ActionCounts actions;
  double peak_macs_per_cycle = 0;
};

UnitCost npu_layer_cost(const Layer& layer, const Precision& precision, const HardwareSpec& hw);
// `resident`: the layer's weights already sit in MRAM.
UnitCost cim_layer_cost(const Layer& layer, const Precision& precision, const HardwareSpec& hw, bool resident);

double cim_peak_macs_per_cycle(const HardwareSpec& hw, int activation_bits);

}  // namespace h4h
