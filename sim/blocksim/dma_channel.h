#pragma once
// A DMA channel between the external memory and a unit's local buffer (the NPU's weight buffer in
// SHRAM, the CIM's MRAM write drivers).
//
// Contract (cycles):
//  - start_read(bytes, issue) queues a command; the channel's thread runs commands in order and
//    moves each in bursts of burst_bytes (the last may be shorter), keeping at most
//    max_outstanding bursts in flight: a burst is issued no earlier than `issue` and than the
//    completion of the burst max_outstanding before it, so latency overlaps transfer as long as
//    enough bursts are outstanding. Each burst is a TLM read to the external memory
//    (memory_target.h), made at the cycle it is issued: the memory serves requests in issue order,
//    so two channels that both keep bursts outstanding interleave (about half the bandwidth each)
//    rather than one holding the memory for a whole command.
//  - start_read never waits. The returned handle's `result` (when the first burst and the last
//    byte arrive, the final burst's size, the cycles lost to other channels' traffic) is filled as
//    the bursts are issued: wait_first() / wait_done() suspend the caller until the first / every
//    burst has been issued, which is never later than that burst's arrival.
//  - With tracing, each command is a span on the channel's track.
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/core/energy.h"
#include "sim/core/trace.h"
#include "sim/blocksim/transfer.h"

namespace h4h::blocksim {

struct DmaTicket {
  TransferResult result;
  bool first_known = false;  // result.first_ready_cycle is final
  bool done = false;         // every field of result is final
};
using DmaHandle = std::shared_ptr<DmaTicket>;

class DmaIf : public virtual sc_core::sc_interface {
 public:
  virtual DmaHandle start_read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) = 0;
  virtual void wait_first(const DmaHandle& handle) = 0;
  virtual void wait_done(const DmaHandle& handle) = 0;
  // start_read, then wait_done.
  TransferResult read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) {
    const DmaHandle h = start_read(bytes, issue, counts, label);
    wait_done(h);
    return h->result;
  }
};

class DmaChannel : public sc_core::sc_module, public DmaIf {
 public:
  tlm_utils::simple_initiator_socket<DmaChannel> socket;

  // `track`: the trace track of this channel's commands ("dma.npu", ...).
  DmaChannel(sc_core::sc_module_name name, const std::string& track, int burst_bytes, int max_outstanding, Trace* trace);
  DmaHandle start_read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) override;
  void wait_first(const DmaHandle& handle) override;
  void wait_done(const DmaHandle& handle) override;

 private:
  struct Command {
    DmaHandle handle;
    int64_t bytes = 0, issue = 0;
    ActionCounts* counts = nullptr;
    std::string label;
  };
  void run();

  int64_t burst_bytes_;
  std::vector<int64_t> in_flight_;  // completion cycles of the last max_outstanding bursts (ring)
  size_t next_ = 0;
  int64_t last_issue_ = 0;
  std::string track_;
  Trace* trace_;
  std::deque<Command> queue_;
  sc_core::sc_event queued_, issued_;
};

}  // namespace h4h::blocksim
