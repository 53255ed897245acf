#include "sim/blocksim/cim_unit.h"

#include <algorithm>
#include <cmath>

#include "sim/blocksim/pipeline_stage.h"
#include "sim/blocksim/sim_time.h"

namespace h4h::blocksim {

namespace {
constexpr int kBuffers = 2;
}  // namespace

CimUnit::CimUnit(sc_core::sc_module_name name, const CimSpec& spec, int sram_latency_cycles, Trace* trace)
    : sc_core::sc_module(name),
      sram("sram"),
      program_dma("program_dma"),
      spec_(spec),
      sram_latency_(std::max(0, sram_latency_cycles)),
      trace_(trace),
      psum_slots_("psum_slots", kBuffers),
      psums_("psums", kBuffers) {
  SC_HAS_PROCESS(CimUnit);
  SC_THREAD(reader_thread);
  SC_THREAD(macro_thread);
  SC_THREAD(cu_thread);
}

void CimUnit::execute(const PartJob& job, PartRecord& record) {
  job_ = &job;
  record_ = &record;
  record.start = now_cycles();
  for (const CimRound& round : job.cim.rounds) {
    if (round.program) {
      const int64_t t0 = now_cycles();
      program(round);
      record.programming_cycles += now_cycles() - t0;
    }
    plan_chunks(job.cim, round);
    // The datapath alone: macros and compute units, partial sums streaming position by position.
    int64_t mac_end = 0, cu_end = 0;
    for (const Chunk& c : chunks_) {
      const int64_t mac_start = mac_end, positions = std::max<int64_t>(1, c.positions);
      mac_end += c.macro;
      const int64_t cu_start = std::max(cu_end, std::min(mac_end, mac_start + (c.macro + positions - 1) / positions));
      cu_end = std::max(cu_start + c.cu, mac_end + (c.cu + positions - 1) / positions);
    }
    record.compute_cycles += cu_end;
    if (chunks_.empty()) continue;
    // Input buffer depth in chunks: double buffering plus the bandwidth-latency product.
    int64_t smallest = 0;
    for (const Chunk& c : chunks_)
      if (c.in_bytes > 0) smallest = smallest > 0 ? std::min(smallest, c.in_bytes) : c.in_bytes;
    const double in_flight = double(sram_latency_) * spec_.sram_bytes_per_cycle;
    lookahead_ = kBuffers + (smallest > 0 ? int64_t(std::ceil(in_flight / double(smallest))) : 0);
    released_ = 0;
    const int64_t t0 = now_cycles();
    ++started_;
    start_.notify();
    sc_core::wait(done_);
    if (trace_) trace_->spans.push_back(TraceSpan{"cim.datapath", job.name, "compute", t0, now_cycles(), {}});
  }
  record.end = now_cycles();
}

void CimUnit::program(const CimRound& round) {
  const int64_t t0 = now_cycles();
  const int64_t tiles = int64_t(round.tile_macro.size());
  const int64_t tile_cycles = job_->cim.rows_used * spec_.mram_write_cycles_per_row;
  const int64_t tile_bits = job_->cim.rows_used * spec_.cols;
  std::vector<int64_t> macro_free(size_t(std::max(1, spec_.macros)), t0);
  int64_t end = t0;
  std::vector<DmaHandle> fetches;  // the tiles' weights, fetched in order
  for (int64_t t = 0; t < tiles; ++t)
    fetches.push_back(program_dma->start_read(share(round.program_bytes, tiles, t), t0, &record_->actions, job_->name));
  for (int64_t t = 0; t < tiles; ++t) {
    program_dma->wait_done(fetches[size_t(t)]);
    const TransferResult& r = fetches[size_t(t)]->result;
    int64_t& free = macro_free[size_t(round.tile_macro[size_t(t)])];
    const int64_t start = std::max(r.ready_cycle, free);
    free = start + tile_cycles;
    end = std::max(end, free);
    record_->actions.mram_write_bits += tile_bits;
    record_->actions.mram_read_bits += tile_bits;  // read-back verify
    if (trace_)
      trace_->spans.push_back(TraceSpan{std::string(basename()) + ".macro" + std::to_string(round.tile_macro[size_t(t)]),
                                        job_->name, "programming", start, free, {{"tile", double(t)}}});
  }
  wait_until(end);
}

void CimUnit::plan_chunks(const CimJob& job, const CimRound& round) {
  chunks_.clear();
  const int64_t n = std::min(job.positions, job.chunks);
  for (int64_t i = 0; i < n; ++i) {
    Chunk c;
    c.positions = share(job.positions, n, i);
    c.in_bytes = share(round.input_bytes, n, i);
    c.out_bytes = share(round.output_bytes, n, i);
    c.macro = c.positions * round.waves * job.bit_passes + (i == 0 ? spec_.pipeline_latency_cycles : 0);
    c.cu = share(round.cu_cycles, n, i);
    c.macs = share(round.macs, n, i);
    c.cu_ops = share(round.cu_ops, n, i);
    chunks_.push_back(c);
  }
}

void CimUnit::wait_for_start(int64_t& seen) {
  while (started_ == seen) sc_core::wait(start_);
  ++seen;
}

void CimUnit::reader_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    for (size_t i = 0; i < chunks_.size(); ++i) {
      const Chunk& c = chunks_[i];
      while (int64_t(i) - released_ >= lookahead_) sc_core::wait(input_released_);
      const int64_t now = now_cycles();
      DataToken t = ready_token(now);
      if (c.in_bytes > 0) {
        const int64_t per_position = (c.in_bytes + c.positions - 1) / std::max<int64_t>(1, c.positions);
        t = token_of(transfer(sram, tlm::TLM_READ_COMMAND, c.in_bytes, now, &record_->actions, per_position), c.in_bytes);
      }
      inputs_.push_back(t);
      input_read_.notify(sc_core::SC_ZERO_TIME);
    }
  }
}

void CimUnit::macro_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    for (size_t i = 0; i < chunks_.size(); ++i) {
      const Chunk& c = chunks_[i];
      while (inputs_.empty()) sc_core::wait(input_read_);
      const DataToken in = inputs_.front();
      inputs_.pop_front();
      psum_slots_.wait();
      const int64_t start = begin_stage({&in}, &record_->bank_conflict);
      finish_stage(start, c.macro, {&in}, &record_->bank_conflict);
      record_->actions.cim_macs += c.macs;
      ++released_;
      input_released_.notify(sc_core::SC_ZERO_TIME);
      const int64_t end = now_cycles();
      // Partial sums leave one position at a time: the first after one position's activations.
      const int64_t first = std::min(end, start + (c.macro + c.positions - 1) / std::max<int64_t>(1, c.positions));
      psums_.write(PsumToken{int64_t(i), DataToken{first, end, 0, c.positions, 1}});
    }
  }
}

void CimUnit::cu_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    DataToken writes[kBuffers] = {};
    DataToken last = ready_token(0);
    for (size_t k = 0; k < chunks_.size(); ++k) {
      PsumToken p;
      psums_.read(p);
      const Chunk& c = chunks_[size_t(p.chunk)];
      DataToken& slot = writes[k % kBuffers];
      wait_transfer(slot, &record_->bank_conflict);
      const int64_t start = begin_stage({&p.psums}, &record_->bank_conflict);
      TransferResult write;
      if (c.out_bytes > 0) write = transfer(sram, tlm::TLM_WRITE_COMMAND, c.out_bytes, start, &record_->actions);
      finish_stage(start, c.cu, {&p.psums}, &record_->bank_conflict);
      psum_slots_.post();
      record_->actions.cim_cu_ops += c.cu_ops;
      if (c.out_bytes > 0) {
        slot = token_of(write, c.out_bytes);
        slot.last = std::max(slot.last, now_cycles());
        if (slot.last > last.last) last = slot;
      }
    }
    wait_transfer(last, &record_->bank_conflict);
    done_.notify();
  }
}

}  // namespace h4h::blocksim
