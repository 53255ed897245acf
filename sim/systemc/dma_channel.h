#pragma once
// A DMA channel between the external memory and a unit's local buffer (the NPU's weight buffer in
// SHRAM, the CIM's MRAM write drivers).
//
// Contract (cycles):
//  - read(bytes, issue) moves `bytes` in bursts of burst_bytes (the last may be shorter), in order
//    after the channel's earlier commands, keeping at most max_outstanding bursts in flight: a burst
//    is issued no earlier than `issue` and than the completion of the burst max_outstanding before
//    it, so latency overlaps transfer as long as enough bursts are outstanding. Each burst is a TLM
//    read to the external memory (memory_target.h), whose bandwidth the channels share.
//  - Returns when the first burst and the last byte have arrived, the final burst's size and the
//    cycles lost to other channels' traffic.
//    It never waits itself (the caller decides when it needs the data).
//  - With tracing, each command is a span on the channel's track.
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/core/energy.h"
#include "sim/core/trace.h"
#include "sim/systemc/transfer.h"

namespace h4h::sc {

class DmaIf : public virtual sc_core::sc_interface {
 public:
  virtual TransferResult read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) = 0;
};

class DmaChannel : public sc_core::sc_module, public DmaIf {
 public:
  tlm_utils::simple_initiator_socket<DmaChannel> socket;

  // `track`: the trace track of this channel's commands ("dma.npu", ...).
  DmaChannel(sc_core::sc_module_name name, const std::string& track, int burst_bytes, int max_outstanding, Trace* trace);
  TransferResult read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) override;

 private:
  int64_t burst_bytes_;
  std::vector<int64_t> in_flight_;  // completion cycles of the last max_outstanding bursts (ring)
  size_t next_ = 0;
  int64_t last_issue_ = 0;
  std::string track_;
  Trace* trace_;
};

}  // namespace h4h::sc
