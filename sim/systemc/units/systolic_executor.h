#pragma once
// SystolicExecutor: a SystolicCommand on the systolic NPU, cycle by cycle. The array is the
// SystolicWavefront (SCALE-Sim's per-cycle demand, sim/systemc/npu/systolic); around it, the local
// operand scratchpads that SCALE-Sim calls "SRAMs", double-buffered per fold:
//  - Loading: fold f's ifmap words come from the shared SRAM, its filter words from where the
//    command's filter lives (external memory through the NPU's DMA channel, or the SRAM for a
//    matmul's second operand): fold_footprint(f).distinct words of element_bytes each, starting at
//    the operand's base + lo words. An operand whose footprint equals the previous fold's stays in
//    its buffer (no fetch). Fold f's load starts once fold f - 2 has finished with its buffer half
//    (folds 0 and 1 load at once).
//  - Computing: the array steps fold f's cycles only when the fold's operands have arrived and the
//    ofmap half it will write has been drained (fold f - 2's outputs accepted by the SRAM); a cycle
//    in which it cannot step is a stall: dma if it waits on a filter from external memory, memory
//    otherwise (the SoC counts the port's bank conflicts separately).
//  - Draining: when fold f's last cycle has run, its ofmap words (fold_footprint(f).ofmap.distinct)
//    are written to the SRAM at the ofmap base + lo words.
//  - Repeats run one after another, each a new wavefront on its share of the operands.
// compute_cycles counts the array's steps; MACs are the command's, credited fold by fold.
// With a trace writer, repeat 0's cycles are appended to SCALE-Sim v2 traces (its address layout).
#include <memory>
#include <optional>

#include "sim/core/hardware.h"
#include "sim/systemc/clocked_unit.h"
#include "sim/systemc/npu/systolic/scalesim_trace_writer.h"
#include "sim/systemc/npu/systolic/systolic_wavefront.h"
#include "sim/systemc/units/byte_stream.h"

namespace h4h::cyc {

struct NpuPorts {
  MemoryPortRef sram;      // the NPU's port to the shared SRAM
  MemoryPortRef external;  // the NPU's DMA channel to external memory
};

// Requests one NPU stream keeps in flight on the SRAM port so that it can use the port's full width
// across the SRAM's latency (a structural bound, not a timing value).
int npu_sram_requests_in_flight(const NpuSpec& npu);

class SystolicExecutor {
 public:
  SystolicExecutor(const NpuSpec& npu, NpuPorts ports);
  void start(const SystolicCommand& command, ScalesimTraceWriter* trace);
  void act(Cycle now);
  void on_delivery(const MemoryDelivery& d, bool external);
  bool done() const { return done_; }
  // Adds this command's measurements.
  void add_to(TaskRecord* record) const;

 private:
  struct Half {
    ByteStream ifmap, filter, ofmap;
    int64_t fold = -1;   // fold loaded (or loading) into this half
    bool drained = true; // its last ofmap drain is complete
  };
  void begin_repeat();
  void begin_load(int64_t fold);
  bool operands_ready(int64_t fold) const;
  MemoryPortRef filter_port() const;

  NpuSpec npu_;
  NpuPorts ports_;
  SystolicCommand command_;
  ScalesimTraceWriter* trace_ = nullptr;
  std::unique_ptr<SystolicWavefront> wavefront_;
  int64_t repeat_ = 0;
  Half halves_[2];
  FoldFootprint previous_footprint_;
  bool have_previous_ = false;
  int64_t next_load_ = 0;   // next fold to load
  bool done_ = true;
  uint32_t next_stream_id_ = 1;
  int64_t folds_done_total_ = 0, folds_total_ = 0;
  // Measurements.
  int64_t steps_ = 0, stall_memory_ = 0, stall_dma_ = 0, macs_ = 0;
};

}  // namespace h4h::cyc
