#include "sim/blocksim/npu_unit.h"

#include <algorithm>

#include "sim/blocksim/pipeline_stage.h"
#include "sim/blocksim/sim_time.h"

namespace h4h::blocksim {

namespace {
constexpr int kBuffers = 2;  // double buffering of IFM, weights, accumulators and OFM writes
}  // namespace

NpuUnit::NpuUnit(sc_core::sc_module_name name, int sram_burst_bytes, Trace* trace)
    : sc_core::sc_module(name),
      sram("sram"),
      weight_dma("weight_dma"),
      burst_(std::max(1, sram_burst_bytes)),
      trace_(trace),
      ifm_slots_("ifm_slots", kBuffers),
      weight_slots_("weight_slots", kBuffers),
      acc_slots_("acc_slots", kBuffers),
      ifm_ready_("ifm_ready", kBuffers),
      weight_ready_("weight_ready", kBuffers),
      accumulated_("accumulated", kBuffers) {
  SC_HAS_PROCESS(NpuUnit);
  SC_THREAD(ifm_thread);
  SC_THREAD(weight_thread);
  SC_THREAD(mac_thread);
  SC_THREAD(out_thread);
}

void NpuUnit::plan_blocks(const PartJob& job) {
  blocks_.clear();
  const NpuSchedule& s = job.npu.schedule;
  int64_t total = 0;
  for (const NpuOpSchedule& op : s.ops) total += op.blocks * op.repeats;
  blocks_.reserve(size_t(total));
  int64_t command = 0;
  for (const NpuOpSchedule& op : s.ops) {
    const int64_t n = op.blocks * op.repeats;
    for (int64_t k = 0; k < n; ++k) {
      const int64_t i = k % op.blocks;
      Block b;
      b.mac = op.mac.at(i);
      b.out = op.out.at(i);
      b.ifm_bytes = share(op.ifm_bytes + op.ifm2_bytes, n, k);
      b.weight_bytes = share(op.weight_bytes + op.scale_bias_bytes, n, k);
      b.ofm_bytes = share(op.ofm_bytes, n, k);
      const int64_t g = int64_t(blocks_.size());
      b.macs = share(job.npu.macs, total, g);
      b.elementwise_ops = share(job.npu.elementwise_ops, total, g);
      b.command = command;
      b.command_first = i == 0;
      b.command_last = i == op.blocks - 1;
      if (b.command_last) ++command;
      blocks_.push_back(b);
    }
  }
}

void NpuUnit::execute(const PartJob& job, PartRecord& record) {
  job_ = &job;
  record_ = &record;
  plan_blocks(job);
  record.start = now_cycles();
  // The datapath alone: the two-stage pipeline of each command, commands back to back.
  int64_t compute = 0, mac_end = 0, out_end = 0;
  for (const Block& b : blocks_) {
    if (b.command_first) mac_end = out_end = 0;
    mac_end += b.mac;
    out_end = std::max(out_end, mac_end) + b.out;
    if (b.command_last) compute += out_end;
  }
  record.compute_cycles = compute;
  if (blocks_.empty()) {
    record.end = record.start;
    return;
  }
  commands_done_ = 0;
  ++started_;
  start_.notify();
  sc_core::wait(done_);
}

void NpuUnit::wait_for_start(int64_t& seen) {
  while (started_ == seen) sc_core::wait(start_);
  ++seen;
}

void NpuUnit::ifm_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    for (const Block& b : blocks_) {
      ifm_slots_.wait();
      const int64_t now = now_cycles();
      DataToken t = ready_token(now);
      if (b.ifm_bytes > 0)
        t = token_of(transfer(sram, tlm::TLM_READ_COMMAND, b.ifm_bytes, now, &record_->actions, burst_), b.ifm_bytes);
      ifm_ready_.write(t);
    }
  }
}

void NpuUnit::weight_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    for (const Block& b : blocks_) {
      weight_slots_.wait();
      WeightToken t;
      t.bytes = b.weight_bytes;
      if (b.weight_bytes > 0) t.handle = weight_dma->start_read(b.weight_bytes, now_cycles(), &record_->actions, job_->name);
      weight_ready_.write(t);
    }
  }
}

void NpuUnit::mac_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    for (size_t i = 0; i < blocks_.size(); ++i) {
      const Block& b = blocks_[i];
      DataToken in;
      WeightToken weights;
      ifm_ready_.read(in);
      weight_ready_.read(weights);
      while (b.command_first && commands_done_ < b.command) sc_core::wait(command_done_);
      acc_slots_.wait();
      // Weights stream in as the DMA issues their bursts: the stage starts on the first burst and
      // learns when the last one arrives once it has been issued (never later than its arrival).
      // Flash contention is a memory stall, not a bank conflict.
      DataToken w = ready_token(0);
      if (weights.handle) {
        weight_dma->wait_first(weights.handle);
        w = DataToken{weights.handle->result.first_ready_cycle, weights.handle->result.first_ready_cycle, 0, weights.bytes, 0};
      }
      auto weights_arrived = [&] {
        if (!weights.handle) return;
        weight_dma->wait_done(weights.handle);
        w = token_of(weights.handle->result, weights.bytes, false);
      };
      AccToken acc{int64_t(i), ready_token(0)};
      if (b.mac > 0) {
        const int64_t start = begin_stage({&in, &w}, &record_->bank_conflict);
        if (b.command_first) command_start_ = start;
        weights_arrived();
        finish_stage(start, b.mac, {&in, &w}, &record_->bank_conflict);
        ifm_slots_.post();
      } else {
        const int64_t start = begin_stage({&w}, &record_->bank_conflict);
        if (b.command_first) command_start_ = start;
        weights_arrived();
        finish_stage(start, 0, {&w}, &record_->bank_conflict);
        acc.ifm = in;  // the output unit consumes it and frees its buffer
      }
      record_->actions.npu_macs += b.macs;
      weight_slots_.post();
      accumulated_.write(acc);
    }
  }
}

void NpuUnit::out_thread() {
  for (int64_t seen = 0;;) {
    wait_for_start(seen);
    DataToken writes[kBuffers] = {};
    DataToken last = ready_token(0);
    for (size_t k = 0; k < blocks_.size(); ++k) {
      AccToken acc;
      accumulated_.read(acc);
      const Block& b = blocks_[size_t(acc.block)];
      DataToken& slot = writes[k % kBuffers];
      wait_transfer(slot, &record_->bank_conflict);
      const int64_t start = begin_stage({&acc.ifm}, &record_->bank_conflict);
      TransferResult write;
      if (b.ofm_bytes > 0) write = transfer(sram, tlm::TLM_WRITE_COMMAND, b.ofm_bytes, start, &record_->actions);
      finish_stage(start, b.out, {&acc.ifm}, &record_->bank_conflict);
      if (b.mac == 0) ifm_slots_.post();
      acc_slots_.post();
      record_->actions.npu_elementwise_ops += b.elementwise_ops;
      if (b.ofm_bytes > 0) {
        // The write cannot be accepted before the output unit has produced the block.
        slot = token_of(write, b.ofm_bytes);
        slot.last = std::max(slot.last, now_cycles());
        if (slot.last > last.last) last = slot;
      }
      if (b.command_last) {
        if (trace_)
          trace_->spans.push_back(TraceSpan{"npu.datapath", job_->name, "command", command_start_, now_cycles(),
                                            {{"command", double(b.command)}}});
        ++commands_done_;
        command_done_.notify();
      }
    }
    wait_transfer(last, &record_->bank_conflict);
    record_->end = now_cycles();
    done_.notify();
  }
}

}  // namespace h4h::blocksim
