#include "sim/systemc/npu/ethos_u55/u55_datapath.h"

#include <algorithm>
#include <stdexcept>

#include "sim/systemc/npu/ethos_u55/u55_runs.h"

namespace h4h::cyc {
namespace {

constexpr int kTagShift = 48;
uint64_t make_tag(uint64_t kind, uint64_t payload) { return (kind << kTagShift) | payload; }

bool is_conv_like(U55BlockType t) { return t != U55BlockType::ElementWise; }

// The output unit's throughput for the command: the slower of its op row and its activation row.
U55Rate output_rate(const U55Command& c) {
  int index;
  if (c.type == U55BlockType::ElementWise && c.ifm.bits == 32) {
    index = c.has_ifm2 ? 0 : 1;
  } else if (c.output_kind == U55OutputKind::Mul && c.ofm.bits == 32) {
    index = 2;
  } else if (c.output_kind == U55OutputKind::Mul || (is_conv_like(c.type) && c.accumulator_bits == 40)) {
    index = 3;
  } else if (c.output_kind == U55OutputKind::Add) {
    index = 5;
  } else if (c.output_kind == U55OutputKind::MaxPool) {
    index = 6;
  } else {
    index = 7;
  }
  U55Rate r = c.arch.output_rate[index];
  const int act = c.activation == U55Activation::Lut ? 0 : c.activation == U55Activation::Relu ? 1 : 2;
  if (!c.arch.activation_unlimited[act]) {
    const U55Rate& a = c.arch.activation_rate[act];
    // a is slower when a.cycles / a.elements > r.cycles / r.elements.
    if (a.cycles * r.elements > r.cycles * a.elements) r = a;
  }
  if (r.cycles < 1 || r.elements < 1) throw std::invalid_argument("U55Command: output rate must be positive");
  return r;
}

}  // namespace

EthosU55Datapath::EthosU55Datapath(size_t request_queue_capacity, size_t delivery_queue_capacity)
    : requests_(request_queue_capacity), deliveries_(delivery_queue_capacity) {}

void EthosU55Datapath::start(const U55Command& command, Cycle now) {
  if (active_) throw std::logic_error("EthosU55Datapath: start() while busy");
  cmd_ = std::make_unique<U55Command>(command);
  plan_ = std::make_unique<U55Plan>(*cmd_);
  const U55Arch& a = cmd_->arch;
  if (a.ifm_buffers < 1 || a.ifm_buffers > kMaxBuffers || a.accumulator_buffers < 1 ||
      a.accumulator_buffers > kMaxBuffers || a.weight_set_buffers < 1 || a.port_bytes_per_cycle < 0 ||
      a.weight_fifo_bytes < 1 || a.weight_request_bytes < 1)
    throw std::invalid_argument("U55Command: arch buffer counts / sizes out of range");
  if (command.ofm.stride_c != command.ofm.element_bytes())
    throw std::invalid_argument("U55Command: the OFM's channels must be contiguous");
  counters_ = U55Counters{};
  counters_.start_cycle = now;
  active_ = true;
  progress_ = true;
  std::fill(std::begin(last_stalls_), std::end(last_stalls_), 0);

  for (IfmSlot& s : slots_) s = IfmSlot{};
  nslots_ = a.ifm_buffers;
  fetch_job_ = 0, fetch_slot_job_ = -1, fetch_stage_ = 0, fetch_run_ = 0, fetch_runs_ = 0;
  port_credit_ = a.port_bytes_per_cycle;

  wblock_ = 0, wblock_left_ = 0, wblock_address_ = 0, wblock_loaded_ = false;
  fifo_bytes_ = 0, fifo_inflight_ = 0;
  dec_job_ = 0, dec_set_ = 0, dec_row_ = 0;
  dec_job_loaded_ = dec_set_loaded_ = dec_starved_ = false;
  set_buffers_used_ = 0, sets_ready_ = 0;

  mac_job_ = 0, mac_set_ = 0, mac_ublock_ = 0, pass_left_ = 0;
  mac_job_loaded_ = false, acc_held_ = false;
  acc_free_ = a.accumulator_buffers;
  handed_blocks_ = 0;

  sb_block_ = 0;
  std::fill(std::begin(sb_outstanding_), std::end(sb_outstanding_), 0);
  std::fill(std::begin(sb_requested_), std::end(sb_requested_), false);

  out_block_ = 0, out_active_ = false;
  out_slots_left_ = 0, out_pixel_ = 0, out_ch_ = 0, out_credit_ = 0;
  out_rate_ = output_rate(*cmd_);
  run_ = WriteRun{};
  wq_head_ = wq_size_ = 0;
  writes_outstanding_ = 0;
}

void EthosU55Datapath::stall(U55Stall s) { ++last_stalls_[int(s)]; }

bool EthosU55Datapath::push_request(MemoryTarget target, int64_t address, int64_t bytes, bool write, uint64_t tag) {
  if (!requests_.can_push()) return false;
  requests_.push(MemoryRequest{target, address, bytes, write, tag});
  ++counters_.requests;
  progress_ = true;
  return true;
}

void EthosU55Datapath::tick(Cycle now) {
  if (!active_) return;
  progress_ = false;
  std::fill(std::begin(last_stalls_), std::end(last_stalls_), 0);
  receive();
  step_output(now);
  if (!plan_->elementwise()) {
    step_mac();
    if (cmd_->has_weights) {
      step_decoder();
      step_weight_stream();
    }
    if (cmd_->has_scale_bias) step_scale_bias_stream();
  }
  step_ifm_fetcher();
  for (int i = 0; i < kU55StallCount; ++i) counters_.stall[i] += last_stalls_[i];
}

void EthosU55Datapath::commit() {
  requests_.commit();
  deliveries_.commit();
}

void EthosU55Datapath::skip_cycles(int64_t n) {
  if (n <= 0) return;
  if (!waiting_on_memory()) throw std::logic_error("EthosU55Datapath: skip_cycles() while units can progress");
  for (int i = 0; i < kU55StallCount; ++i) counters_.stall[i] += n * last_stalls_[i];
  // The AXI read credit only saturates while waiting (it is at its cap, or progress_ would be set).
}

// Deliveries: route by tag.
void EthosU55Datapath::receive() {
  while (!deliveries_.empty()) {
    const MemoryDelivery d = deliveries_.pop();
    progress_ = true;
    const uint64_t kind = d.tag >> kTagShift;
    const uint64_t payload = d.tag & ((uint64_t(1) << kTagShift) - 1);
    switch (kind) {
      case kTagIfm: {
        IfmSlot& s = slots_[payload];
        s.outstanding -= d.bytes;
        if (s.outstanding == 0 && !s.filling) s.full = true;
        break;
      }
      case kTagWeight:
        fifo_inflight_ -= d.bytes;
        fifo_bytes_ += d.bytes;
        break;
      case kTagScaleBias:
        sb_outstanding_[payload] -= d.bytes;
        break;
      case kTagOfm:
        writes_outstanding_ -= d.bytes;
        break;
      default:
        throw std::logic_error("EthosU55Datapath: delivery with an unknown tag");
    }
  }
}

// ---- IFM fetcher ----------------------------------------------------------------------------

void EthosU55Datapath::step_ifm_fetcher() {
  const int64_t cap = cmd_->arch.port_bytes_per_cycle;
  if (cap > 0 && port_credit_ < cap) {
    port_credit_ = std::min(cap, port_credit_ + cap);
    progress_ = true;  // time-driven: the next cycles differ
  }
  if (fetch_slot_job_ < 0) {
    if (fetch_job_ >= plan_->jobs()) return;
    IfmSlot& s = slots_[fetch_job_ % nslots_];
    if (s.job >= 0) return;  // the buffer still holds (or is receiving) an earlier job
    s = IfmSlot{true, false, fetch_job_, 0};
    fetch_slot_job_ = fetch_job_++;
    fetch_stage_ = 0;
    const U55Job job = plan_->job_at(fetch_slot_job_);
    fetch_window_ = plan_->ifm_window(job);
    fetch_run_ = 0;
    fetch_runs_ = run_count(cmd_->ifm, fetch_window_);
    progress_ = true;
    if (plan_->elementwise()) {
      // Keep the job for the IFM2 stage.
    }
  }
  IfmSlot& s = slots_[fetch_slot_job_ % nslots_];
  for (;;) {
    if (fetch_run_ < fetch_runs_) break;
    // This window is issued: next window or done.
    if (fetch_stage_ == 0 && cmd_->has_ifm2 && !cmd_->ifm2_scalar) {
      fetch_stage_ = 1;
      fetch_window_ = plan_->ifm2_window(plan_->job_at(fetch_slot_job_));
      fetch_run_ = 0;
      fetch_runs_ = run_count(cmd_->ifm2, fetch_window_);
      continue;
    }
    s.filling = false;
    if (s.outstanding == 0) s.full = true;
    fetch_slot_job_ = -1;
    return;
  }
  if (cap > 0 && port_credit_ <= 0) return;
  const U55FeatureMap& fm = fetch_stage_ == 0 ? cmd_->ifm : cmd_->ifm2;
  const U55Block blk = plan_->block_at(fetch_slot_job_ / plan_->jobs_per_block());
  const int64_t base = fm.address + blk.run * (fetch_stage_ == 0 ? cmd_->repeat_ifm_stride : cmd_->repeat_ifm2_stride);
  const Run r = run_at(fm, fetch_window_, fetch_run_);
  if (!push_request(MemoryTarget::Sram, base + r.offset, r.bytes, false,
                    make_tag(kTagIfm, uint64_t(fetch_slot_job_ % nslots_))))
    return;
  s.outstanding += r.bytes;
  port_credit_ -= r.bytes;
  (fetch_stage_ == 0 ? counters_.ifm_read_bytes : counters_.ifm2_read_bytes) += r.bytes;
  ++fetch_run_;
}

// ---- Weight stream and decoder --------------------------------------------------------------

void EthosU55Datapath::step_weight_stream() {
  if (!wblock_loaded_) {
    if (wblock_ >= plan_->blocks()) return;
    const U55Block b = plan_->block_at(wblock_);
    wblock_left_ = plan_->block_weight_bytes(b);
    wblock_address_ = plan_->block_weight_address(b);
    wblock_loaded_ = true;
  }
  if (wblock_left_ == 0) {  // a block without weight bytes
    wblock_loaded_ = false;
    ++wblock_;
    progress_ = true;
    return;
  }
  const int64_t bytes = std::min({cmd_->arch.weight_request_bytes, wblock_left_, cmd_->arch.weight_fifo_bytes});
  const int64_t room = cmd_->arch.weight_fifo_bytes - fifo_bytes_ - fifo_inflight_;
  if (bytes > room) return;
  if (!push_request(cmd_->weights.target, wblock_address_, bytes, false, make_tag(kTagWeight, 0))) return;
  fifo_inflight_ += bytes;
  wblock_address_ += bytes;
  wblock_left_ -= bytes;
  counters_.weight_read_bytes += bytes;
  if (wblock_left_ == 0) {
    wblock_loaded_ = false;
    ++wblock_;
  }
}

void EthosU55Datapath::step_decoder() {
  dec_starved_ = false;
  for (;;) {
    if (dec_job_ >= plan_->jobs()) return;
    if (!dec_job_loaded_) {
      dec_job_desc_ = plan_->job_at(dec_job_);
      dec_job_loaded_ = true;
      dec_set_ = 0;
    }
    if (dec_set_ < dec_job_desc_.sets) break;
    ++dec_job_;
    dec_job_loaded_ = false;
  }
  if (set_buffers_used_ >= cmd_->arch.weight_set_buffers) return;  // every register set is full
  if (!dec_set_loaded_) {
    dec_set_desc_ = plan_->set_at(dec_job_desc_, dec_set_);
    dec_set_loaded_ = true;
    dec_row_ = 0;
  }
  const int64_t rows = plan_->set_rows();
  const int64_t need = dec_set_desc_.bytes / rows + (dec_row_ < dec_set_desc_.bytes % rows ? 1 : 0);
  if (fifo_bytes_ < need) {
    dec_starved_ = true;
    stall(U55Stall::DecoderStream);
    return;
  }
  fifo_bytes_ -= need;
  ++dec_row_;
  ++counters_.decoder_busy_cycles;
  progress_ = true;
  if (dec_row_ == rows) {
    ++set_buffers_used_;
    ++sets_ready_;
    ++dec_set_;
    dec_set_loaded_ = false;
  }
}

// ---- MAC unit -------------------------------------------------------------------------------

void EthosU55Datapath::mac_load_job() {
  mac_job_desc_ = plan_->job_at(mac_job_);
  mac_job_loaded_ = true;
  mac_set_ = 0;
  mac_ublock_ = 0;
}

void EthosU55Datapath::step_mac() {
  if (mac_job_ >= plan_->jobs()) return;
  if (!mac_job_loaded_) mac_load_job();
  const U55Job& job = mac_job_desc_;
  if (pass_left_ == 0) {
    // Start a pass: accumulator buffer, IFM buffer, weight set.
    if (!acc_held_) {
      if (acc_free_ == 0) return stall(U55Stall::MacOutput);
      --acc_free_;
      acc_held_ = true;
      progress_ = true;
    }
    if (!slots_[mac_job_ % nslots_].full || slots_[mac_job_ % nslots_].job != mac_job_) return stall(U55Stall::MacIfm);
    if (mac_ublock_ == 0) {
      if (cmd_->has_weights) {
        if (sets_ready_ == 0) return stall(dec_starved_ ? U55Stall::MacWeightStream : U55Stall::MacWeightDecode);
        --sets_ready_;
      }
      mac_set_desc_ = plan_->set_at(job, mac_set_);
    }
    const int64_t pixels = plan_->pixels_in(job.block, mac_ublock_);
    if (cmd_->type == U55BlockType::Pooling)
      counters_.actions.npu_elementwise_ops += pixels * plan_->ofm_channels_in(job.block, mac_set_desc_.z) * job.pooling_taps;
    else
      counters_.actions.npu_macs += pixels * mac_set_desc_.macs_per_pixel;
    pass_left_ = job.pass_cycles;
  }
  // One cycle of the pass.
  --pass_left_;
  ++counters_.mac_busy_cycles;
  progress_ = true;
  if (pass_left_ > 0) return;
  if (++mac_ublock_ < plan_->ublocks_xy()) return;
  mac_ublock_ = 0;
  if (cmd_->has_weights) --set_buffers_used_;  // the weight registers of this set are free
  if (++mac_set_ < job.sets) return;
  // Job done: its IFM buffer is free; the block's last job hands its accumulators over.
  IfmSlot& s = slots_[mac_job_ % nslots_];
  s.full = false;
  s.job = -1;
  if (job.last_in_block) {
    acc_held_ = false;
    ++handed_blocks_;
  }
  ++mac_job_;
  mac_job_loaded_ = false;
}

// ---- Scale/bias stream ----------------------------------------------------------------------

void EthosU55Datapath::step_scale_bias_stream() {
  if (sb_block_ >= plan_->blocks()) return;
  // One slot per accumulator buffer: block k's scale/bias waits until block k - buffers has started
  // in the output unit.
  const int n = cmd_->arch.accumulator_buffers;
  if (sb_block_ - out_block_ >= n) return;
  const int slot = int(sb_block_ % n);
  if (sb_requested_[slot]) return;
  const U55Block b = plan_->block_at(sb_block_);
  const int64_t bytes = b.oc * cmd_->scale_bias_bytes_per_channel;
  const int64_t address =
      cmd_->scale_bias.address + b.run * cmd_->repeat_scale_bias_stride + b.c0 * cmd_->scale_bias_bytes_per_channel;
  if (bytes > 0) {
    if (!push_request(cmd_->scale_bias.target, address, bytes, false, make_tag(kTagScaleBias, uint64_t(slot))))
      return;
    counters_.scale_bias_read_bytes += bytes;
  }
  sb_outstanding_[slot] = bytes;
  sb_requested_[slot] = true;
  ++sb_block_;
  progress_ = true;
}

// ---- Output unit ----------------------------------------------------------------------------

void EthosU55Datapath::flush_write_run() {
  if (run_.bytes == 0) return;
  wq_[(wq_head_ + wq_size_) % kWriteQueue] = run_;
  ++wq_size_;
  run_ = WriteRun{};
}

void EthosU55Datapath::output_emit_pixel(int64_t py, int64_t px) {
  const U55Block& b = out_blk_;
  const U55FeatureMap& o = cmd_->ofm;
  const int64_t eb = o.element_bytes();
  const int64_t address = o.address + b.run * cmd_->repeat_ofm_stride + (b.y0 + py) * o.stride_y +
                          (b.x0 + px) * o.stride_x + b.c0 * o.stride_c;
  const int64_t bytes = b.oc * eb;
  if (out_merge_rows_ && run_.bytes > 0 && run_.address + run_.bytes == address) {
    run_.bytes += bytes;
  } else {
    flush_write_run();
    run_ = WriteRun{address, bytes};
  }
  if (!out_merge_rows_ || px == b.ow - 1) flush_write_run();
}

// Advances the output unit over `slots` element slots of the block (pixel-major, channels inner).
void EthosU55Datapath::output_advance(int64_t slots) {
  const U55Block& b = out_blk_;
  while (slots > 0) {
    const int64_t take = std::min(slots, out_bc_ - out_ch_);
    const int64_t py = out_pixel_ / out_bw_, px = out_pixel_ % out_bw_;
    const bool inside = py < b.oh && px < b.ow;
    if (inside && cmd_->type != U55BlockType::Pooling) {
      const int64_t lo = std::min(out_ch_, b.oc), hi = std::min(out_ch_ + take, b.oc);
      counters_.actions.npu_elementwise_ops += hi - lo;
    }
    out_ch_ += take;
    slots -= take;
    if (out_ch_ == out_bc_) {
      if (inside) output_emit_pixel(py, px);
      out_ch_ = 0;
      ++out_pixel_;
    }
  }
}

void EthosU55Datapath::step_output(Cycle now) {
  // Write channel: queued runs go out as the request queue and the write buffer allow.
  while (wq_size_ > 0) {
    const WriteRun& r = wq_[wq_head_];
    if (writes_outstanding_ + r.bytes > cmd_->arch.max_outstanding_write_bytes && writes_outstanding_ > 0) break;
    if (!push_request(MemoryTarget::Sram, r.address, r.bytes, true, make_tag(kTagOfm, 0))) break;
    writes_outstanding_ += r.bytes;
    counters_.ofm_write_bytes += r.bytes;
    wq_head_ = (wq_head_ + 1) % kWriteQueue;
    --wq_size_;
  }
  const bool ew = plan_->elementwise();
  if (!out_active_) {
    if (out_block_ >= plan_->blocks()) {
      if (wq_size_ == 0 && run_.bytes == 0 && writes_outstanding_ == 0) {
        active_ = false;
        counters_.end_cycle = now + 1;
        progress_ = true;
      }
      return;
    }
    const int n = cmd_->arch.accumulator_buffers;
    if (ew) {
      const IfmSlot& s = slots_[out_block_ % nslots_];
      if (!s.full || s.job != out_block_) return stall(U55Stall::OutputIfm);
    } else {
      if (handed_blocks_ == 0) return;  // waiting for the MAC unit: not a stall of this unit
      if (cmd_->has_scale_bias) {
        const int slot = int(out_block_ % n);
        if (!sb_requested_[slot] || sb_outstanding_[slot] > 0) return stall(U55Stall::OutputScaleBias);
        sb_requested_[slot] = false;
      }
      --handed_blocks_;
    }
    out_blk_ = plan_->block_at(out_block_);
    if (ew) {
      out_bh_ = out_blk_.oh, out_bw_ = out_blk_.ow, out_bc_ = out_blk_.oc;
    } else {
      out_bh_ = plan_->block().h, out_bw_ = plan_->block().w, out_bc_ = plan_->block().c;
      out_credit_ = 0;  // a MAC-fed block drains from a fresh start
    }
    const U55FeatureMap& o = cmd_->ofm;
    out_merge_rows_ = out_blk_.c0 == 0 && out_blk_.oc == o.shape.c && o.stride_c == o.element_bytes() &&
                      o.stride_x == o.shape.c * o.stride_c;
    out_slots_left_ = plan_->output_slots(out_blk_);
    out_pixel_ = 0, out_ch_ = 0;
    out_active_ = true;
    progress_ = true;
  }
  // Room for the runs one cycle can complete (at most one per element slot).
  if (wq_size_ + (out_rate_.elements + out_rate_.cycles - 1) / out_rate_.cycles > kWriteQueue)
    return stall(U55Stall::OutputWrite);
  out_credit_ += out_rate_.elements;
  const int64_t n = std::min(out_credit_ / out_rate_.cycles, out_slots_left_);
  out_credit_ -= n * out_rate_.cycles;
  output_advance(n);
  out_slots_left_ -= n;
  ++counters_.output_busy_cycles;
  progress_ = true;
  if (out_slots_left_ > 0) return;
  // Block drained: free its accumulator buffer (or, elementwise, its IFM buffer).
  flush_write_run();
  out_active_ = false;
  ++counters_.blocks;
  if (ew) {
    IfmSlot& s = slots_[out_block_ % nslots_];
    s.full = false;
    s.job = -1;
  } else {
    ++acc_free_;
  }
  ++out_block_;
}

}  // namespace h4h::cyc
