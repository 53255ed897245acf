#pragma once
// DmaChannel: one DMA channel to the external memory (flash / LPDDR), owned and clocked by an
// ExternalMemory (external_memory.h), which arbitrates the shared data bus between its channels.
//
// Contract (units: bytes, cycles):
//  - The client pushes transfer commands (MemoryRequest, target External, read or write, bytes >= 1)
//    into commands(), a RegisteredQueue; commands are served strictly in order.
//  - Bursts: a command is split at the multiples of burst_bytes in the address space (address-aligned
//    bursts): the first and the last burst of a command may be shorter than burst_bytes; a burst never
//    spans two commands.
//  - Issue: in each cycle the channel issues at most one burst, and only while fewer than
//    max_outstanding bursts are outstanding (issued, and not all of their bytes moved). A burst whose
//    last byte moves in cycle c frees its slot for an issue in cycle c + 1. A cycle in which the
//    channel had a burst to issue but max_outstanding were outstanding is a stall with cause
//    dma_outstanding.
//  - Data: a burst issued in cycle i may move its bytes on the bus from cycle i + latency_cycles on.
//    Bursts move in issue order. In cycle t the channel moves at most port_rate.bytes_at(t) bytes
//    (its port width, rate.h), and no more than the bus grants it.
//  - Delivery granularity: per cycle. The bytes a command moved in cycle t are one MemoryDelivery
//    {tag, bytes}, visible in deliveries() during cycle t + 1 only; `last` is set on the one holding
//    the command's final byte. (A streaming consumer sees the data as it arrives.)
//  - Writes are timed exactly like reads (the latency models the memory's command-to-data time);
//    their deliveries acknowledge the bytes written.
//  - Bad configuration -> std::invalid_argument naming the parameter; a command with bytes < 1, a
//    negative address or another target -> std::logic_error when it reaches the head of the queue.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/kernel/registered_queue.h"
#include "sim/systemc/memory/next_event.h"
#include "sim/systemc/memory/rate.h"
#include "sim/systemc/memory/ring_buffer.h"

namespace h4h::cyc {

struct DmaChannelConfig {
  std::string name = "dma";
  double port_bytes_per_cycle = 8;  // channel port width (rate.h)
  int queue_entries = 2;            // command queue, >= 1
  int64_t burst_bytes = 128;        // >= 1
  int max_outstanding = 8;          // bursts in flight, >= 1
};

struct DmaChannelCounters {
  int64_t bytes_read = 0, bytes_written = 0;
  int64_t bursts = 0;    // issued
  int64_t commands = 0;  // completed (last byte moved)
  int64_t outstanding_stall_cycles = 0;  // stall cause dma_outstanding
  int64_t bus_cycles = 0;       // cycles the channel moved at least one byte
  int64_t bus_wait_cycles = 0;  // cycles it had data ready and moved nothing (bus taken, or the bus
                                // has no byte this cycle at a fractional rate)
};

class DmaChannel {
 public:
  // Throws std::invalid_argument naming the bad parameter.
  explicit DmaChannel(const DmaChannelConfig& config);
  DmaChannel(const DmaChannel&) = delete;
  DmaChannel& operator=(const DmaChannel&) = delete;

  RegisteredQueue<MemoryRequest>& commands() { return commands_; }
  const std::vector<MemoryDelivery>& deliveries() const { return visible_; }
  const DmaChannelConfig& config() const { return config_; }
  const DmaChannelCounters& counters() const { return counters_; }
  int outstanding() const { return int(bursts_.size()); }

 private:
  friend class ExternalMemory;
  struct Burst {
    uint64_t tag = 0;
    int64_t bytes = 0;
    int64_t moved = 0;
    Cycle ready = 0;          // first cycle its data may move
    bool write = false;
    bool last_of_command = false;
  };

  // Called by ExternalMemory in evaluate(now), in this order.
  void issue(Cycle now, int latency_cycles);
  // Bytes the channel could move in `now` (0 if nothing ready); then move(now, n) for n <= that.
  int64_t wants(Cycle now) const;
  void move(int64_t bytes);
  // Counts the cycle: `moved` bytes moved, `had_ready` whether wants() was > 0.
  void end_of_cycle(int64_t moved, bool had_ready);
  void commit();
  bool idle() const;
  // Earliest cycle > last at which this channel may change anything; kNoEvent if none.
  Cycle next_event_cycle(Cycle last) const;

  DmaChannelConfig config_;
  Rate port_rate_;
  RegisteredQueue<MemoryRequest> commands_;
  int64_t issue_offset_ = 0;  // bytes of the head command already issued as bursts
  RingBuffer<Burst> bursts_;  // outstanding, in issue order
  std::vector<MemoryDelivery> visible_, staged_;
  DmaChannelCounters counters_;
};

}  // namespace h4h::cyc
