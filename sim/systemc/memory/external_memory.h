#pragma once
// ExternalMemory: the off-chip memory (flash / LPDDR) behind one shared data bus, with its DMA
// channels (dma_channel.h), as a plain C++ cycle model ticked once per clock cycle.
//
// Contract (units: bytes, cycles):
//  - latency_cycles (>= 0): from a burst's issue to the first cycle its data may move.
//  - The data bus moves at most bus_rate.bytes_at(t) bytes in cycle t (bytes_per_cycle, may be < 1:
//    rate.h) among the channels that have data ready. Channels are served round-robin: starting at the
//    channel after the first one served in the previous cycle that moved data, each ready channel
//    takes min(its port width this cycle, its ready bytes, what the bus has left), in channel order,
//    until the bus is used up (work-conserving: a bus wider than one channel serves several).
//  - evaluate(now): first every channel issues (dma_channel.h), then the bus moves data. Register
//    semantics as in SharedSram: clients act in any order relative to evaluate(now); commit() ends the
//    cycle (commands pushed in t are issued from t + 1; data moved in t is visible in t + 1).
//  - Cost: O(channels) per cycle plus O(bursts touched), no allocation in the steady state.
#include <cstdint>
#include <memory>
#include <vector>

#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/memory/dma_channel.h"
#include "sim/systemc/memory/next_event.h"
#include "sim/systemc/memory/rate.h"

namespace h4h::cyc {

struct ExternalMemoryConfig {
  double bytes_per_cycle = 1;  // data bus width (rate.h)
  int latency_cycles = 64;     // per burst, >= 0
};

struct ExternalMemoryCounters {
  int64_t bytes_read = 0, bytes_written = 0;
  int64_t bus_busy_cycles = 0;  // cycles the bus moved at least one byte
};

class ExternalMemory {
 public:
  // Throws std::invalid_argument naming the bad parameter.
  explicit ExternalMemory(const ExternalMemoryConfig& config);
  ExternalMemory(const ExternalMemory&) = delete;
  ExternalMemory& operator=(const ExternalMemory&) = delete;

  // A new channel; returns its id (0, 1, ...). The reference from channel() stays valid for the
  // lifetime of the ExternalMemory. Throws std::invalid_argument on a bad channel parameter.
  int add_channel(const DmaChannelConfig& config);
  DmaChannel& channel(int id);
  const DmaChannel& channel(int id) const;
  int channels() const { return int(channels_.size()); }

  void evaluate(Cycle now);  // now must increase; cycles may be skipped as next_event_cycle() allows
  void commit();
  void tick(Cycle now) {
    evaluate(now);
    commit();
  }

  // Nothing queued, outstanding or visible.
  bool idle() const;
  // First cycle after the last evaluated one whose evaluate()/commit() may change anything
  // (kNoEvent when idle()).
  Cycle next_event_cycle() const;

  const ExternalMemoryConfig& config() const { return config_; }
  // Bytes summed over the channels; bus busy cycles.
  ExternalMemoryCounters counters() const;
  Cycle last_cycle() const { return last_cycle_; }
  // Bytes the bus moved in the last evaluated cycle (for traces).
  int64_t bus_bytes_last_cycle() const { return bus_bytes_last_cycle_; }

 private:
  ExternalMemoryConfig config_;
  Rate bus_rate_;
  std::vector<std::unique_ptr<DmaChannel>> channels_;
  int rr_next_ = 0;             // channel the bus looks at first
  Cycle last_cycle_ = -1;
  int64_t bus_bytes_last_cycle_ = 0;
  int64_t bus_busy_cycles_ = 0;
};

}  // namespace h4h::cyc
