#pragma once
// EthosU55Datapath: the Ethos-U55 datapath as a per-cycle model, no SystemC. A SystemC module (or a
// test's loop) calls tick() once per clock cycle, moves requests() to the SRAM / DMA models,
// pushes their answers into deliveries(), then calls commit().
//
// Units (each acts once per cycle; see u55_plan.h for the order of work):
//  - IFM fetcher: fills the SHRAM IFM block buffers (arch.ifm_buffers, normally 2: double
//    buffering) with SRAM reads of each job's IFM window (and IFM2 window, elementwise), one
//    contiguous NHWC run per request, at most one request per cycle, paced by the AXI read data
//    path (arch.port_bytes_per_cycle). A buffer is full when every byte of its job has arrived.
//  - Weight stream: reads each block's weights in order (arch.weight_request_bytes per request,
//    to the SRAM or external memory) into a bounded FIFO (arch.weight_fifo_bytes).
//  - Weight decoder: writes weight sets into the MAC array's registers (arch.weight_set_buffers
//    sets), one row of arch.weight_decoder_entries_per_cycle entries per cycle, taking the row's
//    share of the set's bytes from the FIFO (starved: it waits).
//  - MAC unit: for each job (IFM buffer full), each weight set (decoded), each micro-block of the
//    block: one pass of job.pass_cycles cycles. A block needs a free accumulator buffer
//    (arch.accumulator_buffers, normally 2) from its first pass; its last pass hands the buffer to
//    the output unit.
//  - Scale/bias stream: reads each block's scale/bias (scale_bias_bytes_per_channel per channel).
//  - Output unit: drains a handed-over block (its scale/bias arrived) at the op's rate (the slower
//    of the output-rate row and the activation row), writing OFM runs to the SRAM; the block's
//    accumulator buffer is free when its last element is processed. Elementwise: the output unit
//    alone, reading IFM / IFM2 buffers.
// The units act in reverse pipeline order within a cycle (output, MAC, decoder, streams, fetcher),
// so data moves forward at most one stage per cycle; a buffer freed in cycle t can refill from t.
//
// Contract:
//  - start() only when !busy(); the command is copied. Each cycle: tick(now) and the driver's
//    handling of requests()/deliveries() in any order, then commit() once.
//  - requests(): pushed in cycle t, poppable from t + 1. A read request is answered by one or more
//    deliveries with its tag (bytes summing to the request's, `last` on the final one); a write is
//    acknowledged the same way once the memory accepted it. deliveries() pushed in t are seen at t + 1.
//  - busy() until the output unit has drained every block and every write was acknowledged; then
//    counters().end_cycle is set (the first free cycle).
//  - waiting_on_memory(): the last tick changed no state (every unit with work waits on a delivery or
//    on request-queue space). When it holds and requests() is empty, ticks until the next delivery
//    are identical: the driver may skip n such cycles with skip_cycles(n), which adds the same stall
//    counts n times.
//  - Deterministic; no allocation per cycle in steady state (unit state is counters; the two
//    RegisteredQueues are the kernel's).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/kernel/registered_queue.h"
#include "sim/systemc/npu/ethos_u55/u55_command.h"
#include "sim/systemc/npu/ethos_u55/u55_counters.h"
#include "sim/systemc/npu/ethos_u55/u55_plan.h"

namespace h4h::cyc {

class EthosU55Datapath {
 public:
  explicit EthosU55Datapath(size_t request_queue_capacity = 16, size_t delivery_queue_capacity = 256);

  void start(const U55Command& command, Cycle now);
  void tick(Cycle now);
  void commit();

  RegisteredQueue<MemoryRequest>& requests() { return requests_; }
  RegisteredQueue<MemoryDelivery>& deliveries() { return deliveries_; }
  const RegisteredQueue<MemoryRequest>& requests() const { return requests_; }
  const RegisteredQueue<MemoryDelivery>& deliveries() const { return deliveries_; }

  bool busy() const { return active_; }
  bool waiting_on_memory() const { return active_ && !progress_; }
  void skip_cycles(int64_t n);
  const U55Counters& counters() const { return counters_; }

 private:
  enum Tag : uint64_t { kTagIfm = 1, kTagWeight = 2, kTagScaleBias = 3, kTagOfm = 4 };
  static constexpr int kMaxBuffers = 8;
  static constexpr int kWriteQueue = 64;  // OFM runs ready to write
  struct IfmSlot {
    bool filling = false, full = false;
    int64_t job = -1;         // the job it holds or receives; -1: free
    int64_t outstanding = 0;  // bytes requested, not yet delivered
  };
  struct WriteRun {
    int64_t address = 0, bytes = 0;
  };

  void receive();
  void step_output(Cycle now);
  void step_mac();
  void step_decoder();
  void step_weight_stream();
  void step_scale_bias_stream();
  void step_ifm_fetcher();
  void stall(U55Stall s);
  bool push_request(MemoryTarget target, int64_t address, int64_t bytes, bool write, uint64_t tag);
  void mac_load_job();
  void output_advance(int64_t slots);
  void output_emit_pixel(int64_t py, int64_t px);
  void flush_write_run();

  RegisteredQueue<MemoryRequest> requests_;
  RegisteredQueue<MemoryDelivery> deliveries_;
  std::unique_ptr<U55Command> cmd_;
  std::unique_ptr<U55Plan> plan_;
  U55Counters counters_;
  bool active_ = false, progress_ = false;
  int last_stalls_[kU55StallCount] = {};

  // IFM fetcher.
  IfmSlot slots_[kMaxBuffers];
  int nslots_ = 2;
  int64_t fetch_job_ = 0;          // next job to start filling
  int64_t fetch_slot_job_ = -1;    // job being issued (-1: none)
  int fetch_stage_ = 0;            // 0: IFM window, 1: IFM2 window
  int64_t fetch_run_ = 0, fetch_runs_ = 0;
  U55Window fetch_window_;
  int64_t port_credit_ = 0;        // AXI read data path bytes available this cycle (may go negative)

  // Weight stream and decoder.
  int64_t wblock_ = 0, wblock_left_ = 0, wblock_address_ = 0;
  bool wblock_loaded_ = false;
  int64_t fifo_bytes_ = 0, fifo_inflight_ = 0;
  int64_t dec_job_ = 0, dec_set_ = 0, dec_row_ = 0;
  U55Job dec_job_desc_;
  U55Set dec_set_desc_;
  bool dec_job_loaded_ = false, dec_set_loaded_ = false, dec_starved_ = false;
  int set_buffers_used_ = 0, sets_ready_ = 0;

  // MAC unit.
  int64_t mac_job_ = 0, mac_set_ = 0, mac_ublock_ = 0, pass_left_ = 0;
  U55Job mac_job_desc_;
  U55Set mac_set_desc_;
  bool mac_job_loaded_ = false, acc_held_ = false;
  int acc_free_ = 2;
  int64_t handed_blocks_ = 0;  // blocks handed to the output unit, not yet started there

  // Scale/bias stream.
  int64_t sb_block_ = 0;
  int64_t sb_outstanding_[kMaxBuffers] = {};
  bool sb_requested_[kMaxBuffers] = {};

  // Output unit.
  int64_t out_block_ = 0;
  bool out_active_ = false;
  U55Block out_blk_;
  int64_t out_bh_ = 0, out_bw_ = 0, out_bc_ = 0;  // block geometry the unit steps over
  int64_t out_slots_left_ = 0, out_pixel_ = 0, out_ch_ = 0, out_credit_ = 0;
  U55Rate out_rate_;
  bool out_merge_rows_ = false;  // consecutive pixels of a row form one contiguous run
  WriteRun run_;                 // run being assembled
  WriteRun wq_[kWriteQueue];               // runs ready to write
  int wq_head_ = 0, wq_size_ = 0;
  int64_t writes_outstanding_ = 0;
};

}  // namespace h4h::cyc
