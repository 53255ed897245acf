#include "sim/systemc/cim/input_fetcher.h"

#include <algorithm>
#include <stdexcept>

namespace h4h::cyc {

InputFetcher::InputFetcher(const CimSimParams& params, RegisteredQueue<MemoryRequest>& requests,
                           RegisteredQueue<MemoryDelivery>& deliveries)
    : params_(params), requests_(requests), deliveries_(deliveries), ring_(size_t(params.max_outstanding_reads)) {}

void InputFetcher::begin(const RunPlan& plan, std::vector<const Registered<int64_t>*> consumers) {
  plan_ = &plan;
  consumers_ = std::move(consumers);
  std::fill(ring_.begin(), ring_.end(), Piece{});
  next_seq_ = head_seq_ = 0;
  issued_bytes_ = retired_bytes_ = 0;
  ready_count_ = 0;
  ready_.reset(0);
}

void InputFetcher::end() { plan_ = nullptr; }

bool InputFetcher::done() const { return !plan_ || retired_bytes_ == plan_->run->input.bytes; }

int64_t InputFetcher::released() const {
  int64_t r = plan_->positions;
  for (const Registered<int64_t>* c : consumers_) r = std::min(r, c->get());
  return r;
}

InputFetcher::Block InputFetcher::blocked() const {
  if (issued_bytes_ >= plan_->run->input.bytes) return Block::Done;
  const int64_t last = std::min(plan_->positions - 1, released() + params_.input_buffer_vectors - 1);
  if (issued_bytes_ >= plan_->input_needed(last)) return Block::Buffer;
  if (next_seq_ - head_seq_ >= ring_.size()) return Block::Outstanding;
  if (!requests_.can_push()) return Block::Port;
  return Block::None;
}

void InputFetcher::tick(Cycle) {
  if (!plan_) return;
  const int64_t stream = plan_->run->input.bytes;
  while (!deliveries_.empty()) {
    const MemoryDelivery d = deliveries_.pop();
    const uint64_t seq = tag_seq(d.tag);
    if (seq < head_seq_ || seq >= next_seq_) throw std::logic_error("InputFetcher: delivery for no outstanding read");
    Piece& p = ring_[seq % ring_.size()];
    p.received += d.bytes;
    if (d.last) p.complete = true;
  }
  while (head_seq_ < next_seq_ && ring_[head_seq_ % ring_.size()].complete) {
    retired_bytes_ += ring_[head_seq_ % ring_.size()].bytes;
    ++head_seq_;
  }
  const int64_t arrived =
      retired_bytes_ + (head_seq_ < next_seq_ ? std::min(ring_[head_seq_ % ring_.size()].received,
                                                         ring_[head_seq_ % ring_.size()].bytes)
                                              : 0);
  while (ready_count_ < plan_->positions && plan_->input_needed(ready_count_) <= arrived) ++ready_count_;
  ready_.set(ready_count_);

  switch (blocked()) {
    case Block::None: {
      const int64_t bytes = std::min<int64_t>(params_.sram_piece_bytes, stream - issued_bytes_);
      requests_.push(MemoryRequest{MemoryTarget::Sram, plan_->run->input.address + issued_bytes_, bytes, false,
                                   make_tag(TagSource::InputRead, next_seq_)});
      ring_[next_seq_ % ring_.size()] = Piece{bytes, 0, false};
      ++next_seq_;
      issued_bytes_ += bytes;
      ++counters_.requests;
      counters_.bytes_requested += bytes;
      break;
    }
    case Block::Buffer: ++counters_.buffer_full_cycles; break;
    case Block::Outstanding: ++counters_.outstanding_full_cycles; break;
    default: break;
  }
}

bool InputFetcher::quiescent() const {
  if (!plan_) return true;
  if (!deliveries_.idle() || ready_.get() != ready_count_) return false;
  return blocked() != Block::None;
}

void InputFetcher::skip(int64_t cycles) {
  if (!plan_) return;
  const Block b = blocked();
  if (b == Block::Buffer) counters_.buffer_full_cycles += cycles;
  if (b == Block::Outstanding) counters_.outstanding_full_cycles += cycles;
}

}  // namespace h4h::cyc
