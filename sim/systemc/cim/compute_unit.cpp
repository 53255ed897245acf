#include "sim/systemc/cim/compute_unit.h"

#include <algorithm>
#include <stdexcept>

namespace h4h::cyc {

PacketDispatch::PacketDispatch(std::vector<RegisteredQueue<PsumPacket>>& queues, int units)
    : queues_(queues), idle_(size_t(units), nullptr), assigned_(size_t(units)), has_(size_t(units), 0) {}

void PacketDispatch::begin(const Registered<int64_t>& window_end) {
  window_end_ = &window_end;
  next_queue_ = 0;
  decided_ = -1;
}

bool PacketDispatch::has_eligible() const {
  if (!window_end_) return false;
  for (const auto& q : queues_)
    if (!q.empty() && q.front().position < window_end_->get()) return true;
  return false;
}

bool PacketDispatch::blocked_by_window() const {
  if (!window_end_) return false;
  for (const auto& q : queues_)
    if (!q.empty() && q.front().position >= window_end_->get()) return true;
  return false;
}

void PacketDispatch::decide(Cycle now) {
  decided_ = now;
  std::fill(has_.begin(), has_.end(), 0);
  if (!window_end_ || queues_.empty()) return;
  const size_t n = queues_.size();
  size_t q = next_queue_, scanned = 0;
  for (size_t u = 0; u < idle_.size(); ++u) {
    if (!idle_[u] || !idle_[u]->get()) continue;
    while (scanned < n) {
      RegisteredQueue<PsumPacket>& queue = queues_[q];
      const size_t this_queue = q;
      q = (q + 1) % n;
      ++scanned;
      if (!queue.empty() && queue.front().position < window_end_->get()) {
        assigned_[u] = queue.pop();
        has_[u] = 1;
        next_queue_ = (this_queue + 1) % n;
        break;
      }
    }
    if (scanned == n) break;
  }
}

bool PacketDispatch::take(int unit, Cycle now, PsumPacket* packet) {
  if (decided_ != now) decide(now);
  if (!has_[size_t(unit)]) return false;
  has_[size_t(unit)] = 0;
  *packet = assigned_[size_t(unit)];
  return true;
}

ComputeUnit::ComputeUnit(int index, const CimSpec& cim, PacketDispatch& dispatch, RegisteredQueue<PsumDone>& out)
    : index_(index), per_cycle_(std::max(1, cim.cu_outputs_per_cycle)), dispatch_(dispatch), out_(out) {
  dispatch_.attach(index, idle_);
}

void ComputeUnit::begin() {
  active_ = true;
  busy_ = false;
  remaining_ = 0;
  idle_.reset(true);
}

void ComputeUnit::count_idle(int64_t cycles) {
  if (dispatch_.blocked_by_window())
    counters_.output_full_cycles += cycles;
  else
    counters_.starved_cycles += cycles;
}

void ComputeUnit::tick(Cycle now) {
  accumulated_ = false;
  if (!active_) return;
  if (!busy_) {
    PsumPacket p;
    if (!dispatch_.take(index_, now, &p)) {
      count_idle(1);
      return;
    }
    busy_ = true;
    remaining_ = p.outputs;
    position_ = p.position;
    ++counters_.packets;
  }
  const int64_t ops = std::min(remaining_, per_cycle_);
  if (ops == remaining_ && !out_.can_push()) {
    throw std::logic_error("ComputeUnit: the output writer did not drain its completions");
  }
  remaining_ -= ops;
  actions_.cim_cu_ops += ops;
  accumulated_ = true;
  ++counters_.busy_cycles;
  if (remaining_ == 0) {
    out_.push(PsumDone{position_});
    busy_ = false;
  }
  idle_.set(!busy_);
}

bool ComputeUnit::quiescent() const { return !active_ || (!busy_ && !dispatch_.has_eligible()); }

void ComputeUnit::skip(int64_t cycles) {
  if (active_ && !busy_) count_idle(cycles);
}

}  // namespace h4h::cyc
