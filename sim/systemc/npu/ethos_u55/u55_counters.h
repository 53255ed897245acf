#pragma once
// What the Ethos-U55 datapath measured for one command (u55_datapath.h). All counts come from its
// units stepping cycle by cycle.
#include <cstdint>

#include "sim/core/energy.h"
#include "sim/systemc/kernel/memory_request.h"

namespace h4h::cyc {

// Why a unit that had work could not take a step in a cycle.
enum class U55Stall {
  MacIfm,            // MAC unit: operand wait, its IFM buffer not filled yet (memory)
  MacWeightDecode,   // MAC unit: next weight set still being written at the decoder's rate (no memory stall)
  MacWeightStream,   // MAC unit: next weight set late because the decoder is starved of bytes (weight stream / DMA)
  MacOutput,         // MAC unit: back-pressure, no free accumulator buffer (output unit behind)
  OutputIfm,         // output unit (elementwise): operand wait, IFM / IFM2 buffer not filled (memory)
  OutputScaleBias,   // output unit: the block's scale/bias not delivered yet (weight stream / memory)
  OutputWrite,       // output unit: memory writes, write buffer full / request queue full
  DecoderStream,     // weight decoder: starved, weight FIFO empty (weight stream / DMA)
  Count
};
inline constexpr int kU55StallCount = int(U55Stall::Count);

struct U55Counters {
  Cycle start_cycle = -1;  // the cycle start() was called for
  Cycle end_cycle = -1;    // the first cycle after the last OFM write was accepted (-1: running)
  int64_t cycles() const { return end_cycle < 0 ? -1 : end_cycle - start_cycle; }

  int64_t mac_busy_cycles = 0;     // cycles the MAC unit took a pass step
  int64_t output_busy_cycles = 0;  // cycles the output unit processed elements
  int64_t decoder_busy_cycles = 0; // cycles the weight decoder wrote a register row
  int64_t stall[kU55StallCount] = {};
  int64_t stall_of(U55Stall s) const { return stall[int(s)]; }

  int64_t blocks = 0;              // OFM blocks drained by the output unit
  int64_t ifm_read_bytes = 0, ifm2_read_bytes = 0, ofm_write_bytes = 0;
  int64_t weight_read_bytes = 0, scale_bias_read_bytes = 0;
  int64_t requests = 0;            // memory requests issued

  // npu_macs: MACs of the passes on elements that exist: OFM elements inside the OFM x kernel taps
  // (zero-padding taps included, as the array multiplies them) x IFM channels inside the IFM;
  // micro-block lanes off the OFM edge and padded IFM-slice channels do not count.
  // npu_elementwise_ops: elements inside the OFM the output unit processed (MAC ops, elementwise
  // ops), or for pooling the window operations (OFM elements x kernel taps), as the estimator counts.
  // The byte actions are left to the memory models (the bytes moved are in the fields above).
  ActionCounts actions;
};

}  // namespace h4h::cyc
