#pragma once
// InputFetcher: streams a round's input from the shared SRAM into the input line buffer.
//
// Requests: pieces of params.sram_piece_bytes (the last may be shorter), aligned to the start of the
// stream, issued in order, at most one per cycle into `requests` (the port arbiter's read side), at
// most params.max_outstanding_reads not yet fully delivered. A piece may be requested once its first
// byte lies before the bytes of position (released + input_buffer_vectors - 1), `released` being the
// fewest positions any macro of the round has finished driving (a position stays in the buffer until
// every macro that computes in the round has driven all of its tiles with it).
// Readiness: position p is ready once the contiguous prefix of the stream that has arrived covers
// RunPlan::input_needed(p); ready_positions() shows it from the next cycle. Deliveries may be partial
// and pieces may complete out of order; bytes within a piece arrive in order.
#include <cstdint>
#include <vector>

#include "sim/systemc/cim/cim_common.h"
#include "sim/systemc/cim/cim_params.h"
#include "sim/systemc/cim/run_plan.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

struct InputFetcherCounters {
  int64_t requests = 0;
  int64_t bytes_requested = 0;
  int64_t buffer_full_cycles = 0;       // could not request: the line buffer holds its vectors
  int64_t outstanding_full_cycles = 0;  // could not request: max_outstanding_reads in flight
};

class InputFetcher : public CimProcess {
 public:
  InputFetcher(const CimSimParams& params, RegisteredQueue<MemoryRequest>& requests,
               RegisteredQueue<MemoryDelivery>& deliveries);

  // Starts a round. `consumers`: the positions each macro of the round has finished (Registered).
  void begin(const RunPlan& plan, std::vector<const Registered<int64_t>*> consumers);
  void end();

  const Registered<int64_t>& ready_positions() const { return ready_; }
  bool done() const;  // every byte of the stream delivered
  const InputFetcherCounters& counters() const { return counters_; }

  void tick(Cycle now) override;
  void commit() override { ready_.commit(); }
  bool quiescent() const override;
  void skip(int64_t cycles) override;

 private:
  struct Piece {
    int64_t bytes = 0;
    int64_t received = 0;
    bool complete = false;
  };
  enum class Block { None, Buffer, Outstanding, Port, Done };
  Block blocked() const;  // why no request can be issued now (None: one can)
  int64_t released() const;

  CimSimParams params_;
  RegisteredQueue<MemoryRequest>& requests_;
  RegisteredQueue<MemoryDelivery>& deliveries_;
  const RunPlan* plan_ = nullptr;
  std::vector<const Registered<int64_t>*> consumers_;
  std::vector<Piece> ring_;  // outstanding pieces by sequence number modulo its size
  uint64_t next_seq_ = 0, head_seq_ = 0;  // [head, next): issued, not all retired in order
  int64_t issued_bytes_ = 0;   // stream bytes requested
  int64_t retired_bytes_ = 0;  // stream bytes of the leading pieces that are complete
  int64_t ready_count_ = 0;
  Registered<int64_t> ready_{0};
  InputFetcherCounters counters_;
};

}  // namespace h4h::cyc
