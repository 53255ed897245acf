#pragma once
// OutputWriter: the output buffer and its SRAM writes.
//
// The buffer holds params.output_buffer_vectors positions: [begin, begin + output_buffer_vectors)
// where begin is the oldest position whose writes have not all been accepted; window_end() shows
// begin + output_buffer_vectors from the next cycle, and compute units take only packets of positions
// before it (back-pressure onto the compute units, and through their queues onto the macros).
// Each cycle the writer takes every PsumDone the units pushed; a position is finished when all of the
// round's tiles' packets for it have been accumulated. Finished positions are written in order:
// output_bytes_per_position bytes at output_address + p * output_bytes_per_position, in pieces of
// params.sram_piece_bytes, one request per cycle into `requests` (the port arbiter's write side), at
// most params.max_outstanding_writes not yet accepted. A write is accepted when its `last` delivery
// arrives; a position leaves the buffer when all of its writes are accepted (the data stay until the
// memory has taken them).
#include <cstdint>
#include <vector>

#include "sim/systemc/cim/cim_common.h"
#include "sim/systemc/cim/cim_params.h"
#include "sim/systemc/cim/run_plan.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

struct OutputWriterCounters {
  int64_t requests = 0;
  int64_t bytes_requested = 0;
  int64_t positions_finished = 0;
  int64_t outstanding_full_cycles = 0;  // a finished position waited: max_outstanding_writes in flight
};

class OutputWriter : public CimProcess {
 public:
  OutputWriter(const CimSimParams& params, std::vector<RegisteredQueue<PsumDone>>& completions,
               RegisteredQueue<MemoryRequest>& requests, RegisteredQueue<MemoryDelivery>& deliveries);

  void begin(const RunPlan& plan);
  void end() { plan_ = nullptr; }
  bool done() const;  // every position's writes accepted
  const Registered<int64_t>& window_end() const { return window_end_; }
  const OutputWriterCounters& counters() const { return counters_; }

  void tick(Cycle now) override;
  void commit() override { window_end_.commit(); }
  bool quiescent() const override;
  void skip(int64_t cycles) override;

 private:
  struct Entry {
    int64_t packets = 0;   // accumulated
    int64_t accepted = 0;  // writes accepted
  };
  Entry& entry(int64_t position) { return entries_[size_t(position % int64_t(entries_.size()))]; }
  const Entry& entry(int64_t position) const { return entries_[size_t(position % int64_t(entries_.size()))]; }
  bool can_issue() const;
  bool waiting_on_outstanding() const;

  CimSimParams params_;
  std::vector<RegisteredQueue<PsumDone>>& completions_;
  RegisteredQueue<MemoryRequest>& requests_;
  RegisteredQueue<MemoryDelivery>& deliveries_;
  const RunPlan* plan_ = nullptr;
  std::vector<Entry> entries_;
  int64_t pieces_ = 0;            // write requests per position
  int64_t begin_ = 0;             // oldest position not fully accepted
  int64_t write_position_ = 0;    // next position to write
  int64_t write_piece_ = 0;       // its next piece
  int64_t outstanding_ = 0;
  Registered<int64_t> window_end_{0};
  OutputWriterCounters counters_;
};

}  // namespace h4h::cyc
