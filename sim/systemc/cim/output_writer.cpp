#include "sim/systemc/cim/output_writer.h"

#include <algorithm>
#include <stdexcept>

namespace h4h::cyc {

OutputWriter::OutputWriter(const CimSimParams& params, std::vector<RegisteredQueue<PsumDone>>& completions,
                           RegisteredQueue<MemoryRequest>& requests, RegisteredQueue<MemoryDelivery>& deliveries)
    : params_(params),
      completions_(completions),
      requests_(requests),
      deliveries_(deliveries),
      entries_(size_t(params.output_buffer_vectors)) {}

void OutputWriter::begin(const RunPlan& plan) {
  plan_ = &plan;
  std::fill(entries_.begin(), entries_.end(), Entry{});
  pieces_ = ceil_div(plan.run->output_bytes_per_position, params_.sram_piece_bytes);
  begin_ = write_position_ = write_piece_ = outstanding_ = 0;
  window_end_.reset(int64_t(entries_.size()));
}

bool OutputWriter::done() const { return !plan_ || begin_ == plan_->positions; }

bool OutputWriter::can_issue() const {
  return write_position_ < plan_->positions && entry(write_position_).packets == plan_->packets_per_position &&
         (pieces_ == 0 || (outstanding_ < params_.max_outstanding_writes && requests_.can_push()));
}

bool OutputWriter::waiting_on_outstanding() const {
  return write_position_ < plan_->positions && entry(write_position_).packets == plan_->packets_per_position &&
         pieces_ > 0 && outstanding_ >= params_.max_outstanding_writes;
}

void OutputWriter::tick(Cycle) {
  if (!plan_) return;
  for (auto& q : completions_) {
    while (!q.empty()) {
      const PsumDone d = q.pop();
      if (d.position < begin_ || d.position >= begin_ + int64_t(entries_.size()))
        throw std::logic_error("OutputWriter: packet for a position outside the output buffer");
      if (++entry(d.position).packets == plan_->packets_per_position) ++counters_.positions_finished;
    }
  }
  while (!deliveries_.empty()) {
    const MemoryDelivery d = deliveries_.pop();
    if (!d.last) continue;
    const int64_t position = int64_t(tag_seq(d.tag)) / std::max<int64_t>(1, pieces_);
    if (position < begin_ || position >= write_position_ + 1)
      throw std::logic_error("OutputWriter: acceptance for no outstanding write");
    ++entry(position).accepted;
    --outstanding_;
  }
  if (can_issue()) {
    if (pieces_ > 0) {
      const int64_t per = plan_->run->output_bytes_per_position;
      const int64_t offset = write_piece_ * params_.sram_piece_bytes;
      const int64_t bytes = std::min<int64_t>(params_.sram_piece_bytes, per - offset);
      requests_.push(MemoryRequest{MemoryTarget::Sram, plan_->run->output_address + write_position_ * per + offset, bytes,
                                   true, make_tag(TagSource::OutputWrite, uint64_t(write_position_ * pieces_ + write_piece_))});
      ++outstanding_;
      ++counters_.requests;
      counters_.bytes_requested += bytes;
    }
    if (++write_piece_ >= pieces_) {
      write_piece_ = 0;
      ++write_position_;
    }
  } else if (waiting_on_outstanding()) {
    ++counters_.outstanding_full_cycles;
  }
  while (begin_ < write_position_ && entry(begin_).accepted == pieces_) {
    entry(begin_) = Entry{};
    ++begin_;
  }
  window_end_.set(begin_ + int64_t(entries_.size()));
}

bool OutputWriter::quiescent() const {
  if (!plan_) return true;
  for (const auto& q : completions_)
    if (!q.idle()) return false;
  if (!deliveries_.idle() || can_issue()) return false;
  if (begin_ < write_position_ && entry(begin_).accepted == pieces_) return false;
  return window_end_.get() == begin_ + int64_t(entries_.size());
}

void OutputWriter::skip(int64_t cycles) {
  if (plan_ && waiting_on_outstanding()) counters_.outstanding_full_cycles += cycles;
}

}  // namespace h4h::cyc
