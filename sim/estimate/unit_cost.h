#pragma once
// Analytical cost of one layer (or one part of a split layer) on one unit, memory included.
// Activations live in the shared SRAM; NPU weights stream from external memory; CIM weights are
// resident in MRAM or are reprogrammed (external read + row-by-row MRAM write) before the layer
// computes.
//  - NPU: the layer's ops (npu_model.h) run one after another; each takes the later of its compute
//    (after its first data has arrived) and, per memory, its transfer + latency + the pipeline's
//    drain after the last granule (unit_cost.cpp states it exactly). The SystemC NPU replays the
//    same block schedule, so the two agree to within the overlap of consecutive ops.
//  - CIM: see cim_layer_cost.
#include <cstdint>
#include <limits>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

struct UnitCost {
  int64_t compute_cycles = 0;
  int64_t cycles = 0;             // compute + memory stalls + programming
  int64_t memory_stall = 0;
  int64_t programming_cycles = 0; // CIM weight (re)programming
  // Its external-memory reads as a flow (timeline.h): alone they stream over the first
  // external_window_cycles of the part (NPU: its ops up to the last burst of the last op with
  // weights; CIM: the programming fetch at the memory's bandwidth), and the part needs
  // after_external_cycles more once they have all been transferred (NPU: the rest of its ops; CIM:
  // the latency, the last tile's write and the compute). Zero when it reads no external memory.
  // A streamed CIM part with several programming rounds repeats both once per round (per-round
  // values here).
  int64_t external_window_cycles = 0;
  int64_t after_external_cycles = 0;
  int64_t external_rounds = 1;
  ActionCounts actions;
  double peak_macs_per_cycle = 0;
};

UnitCost npu_layer_cost(const Layer& layer, const Precision& precision, const HardwareSpec& hw);

constexpr int64_t kAllSubarraysFree = std::numeric_limits<int64_t>::max();

// A CIM layer (part). `resident`: its weights already sit in MRAM. Otherwise they are programmed
// into the `free_subarrays` sub-arrays that hold no resident weights: in ceil(tiles / free) rounds
// of (as near as possible) equal tile counts, each round programming its tiles and then computing
// with them (macros hold ceil(round tiles / macros) tiles each; a dense layer re-reads all its
// inputs every round, a depthwise one only its round's channels). Requires free_subarrays >= 1 for
// a streamed part (cim_stream_rounds returns 0 otherwise).
// Programming a round: the weights + biases stream from external memory in tile order at
// external.bytes_per_cycle (latency once); tile t is written on macro t mod macros, row by row
// (rows_used x mram_write_cycles_per_row), once its bytes have arrived; macros write in parallel.
// Computing a round streams its input vectors (output positions) as a pipeline: each vector's input
// bytes through the CIM's SRAM port (min(cim.sram_bytes_per_cycle, the banks'), sram.latency_cycles
// once per stream: the input buffer holds two vectors plus the bandwidth-latency product), the
// macros (ceil(round tiles / macros) x bit-serial passes cycles per vector, pipeline_latency_cycles
// once), the compute units, and the outputs written back through the same port. A round takes the
// longest of: the first vector's read + latency, the datapath, and the last vector's write; the
// port's busy cycles (reads + writes) plus its unavoidable idling at the start and after the last
// read; the first output and then all writes; all reads and then the last vector's path. With few
// vectors (a 1x1 feature map: one) the stages cannot overlap and the round is their sum.
UnitCost cim_layer_cost(const Layer& layer, const Precision& precision, const HardwareSpec& hw, bool resident,
                        int64_t free_subarrays = kAllSubarraysFree);

// Rounds a streamed CIM part of `tiles` tiles needs with `free_subarrays` free (0 if none is free).
int64_t cim_stream_rounds(int64_t tiles, int64_t free_subarrays);

// Sustained bytes per cycle of one DMA channel reading external memory through a port of
// `port_bytes_per_cycle`: the bus rate, or less when too few bursts are in flight to cover the
// latency — with n = external.max_outstanding bursts of B = external.burst_bytes, each occupying a
// slot for latency + B / rate cycles (Little's law), at most n x B / (latency + B / rate).
double dma_bytes_per_cycle(const HardwareSpec& hw, double port_bytes_per_cycle);

}  // namespace h4h
