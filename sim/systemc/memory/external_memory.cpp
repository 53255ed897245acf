#include "sim/systemc/memory/external_memory.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace h4h::cyc {

namespace {

const ExternalMemoryConfig& checked(const ExternalMemoryConfig& c) {
  if (c.latency_cycles < 0) {
    std::ostringstream msg;
    msg << "ExternalMemory: latency_cycles must be >= 0 (got " << c.latency_cycles << ")";
    throw std::invalid_argument(msg.str());
  }
  return c;
}

}  // namespace

ExternalMemory::ExternalMemory(const ExternalMemoryConfig& config)
    : config_(checked(config)), bus_rate_(config.bytes_per_cycle, "ExternalMemory: bytes_per_cycle") {}

int ExternalMemory::add_channel(const DmaChannelConfig& config) {
  channels_.push_back(std::make_unique<DmaChannel>(config));
  return int(channels_.size()) - 1;
}

DmaChannel& ExternalMemory::channel(int id) {
  return const_cast<DmaChannel&>(static_cast<const ExternalMemory&>(*this).channel(id));
}
const DmaChannel& ExternalMemory::channel(int id) const {
  if (id < 0 || id >= int(channels_.size())) throw std::logic_error("ExternalMemory: no such channel");
  return *channels_[size_t(id)];
}

void ExternalMemory::evaluate(Cycle now) {
  if (now <= last_cycle_) throw std::logic_error("ExternalMemory: evaluate() cycles must increase");
  last_cycle_ = now;
  for (auto& ch : channels_) ch->issue(now, config_.latency_cycles);

  // The bus: round-robin from rr_next_, each ready channel takes what it can of what is left.
  const int n = int(channels_.size());
  int64_t left = bus_rate_.bytes_at(now);
  int first_served = -1;
  bus_bytes_last_cycle_ = 0;
  for (int k = 0; k < n; ++k) {
    const int i = (rr_next_ + k) % n;
    DmaChannel& ch = *channels_[size_t(i)];
    const int64_t want = ch.wants(now);
    const int64_t m = std::min(want, left);
    if (m > 0) {
      ch.move(m);
      left -= m;
      bus_bytes_last_cycle_ += m;
      if (first_served < 0) first_served = i;
    }
    ch.end_of_cycle(m, want > 0);
  }
  if (first_served >= 0) rr_next_ = (first_served + 1) % n;
  if (bus_bytes_last_cycle_ > 0) bus_busy_cycles_ += 1;
}

void ExternalMemory::commit() {
  for (auto& ch : channels_) ch->commit();
}

bool ExternalMemory::idle() const {
  for (const auto& ch : channels_)
    if (!ch->idle()) return false;
  return true;
}

Cycle ExternalMemory::next_event_cycle() const {
  Cycle next = kNoEvent;
  for (const auto& ch : channels_) next = std::min(next, ch->next_event_cycle(last_cycle_));
  return next;
}

ExternalMemoryCounters ExternalMemory::counters() const {
  ExternalMemoryCounters c;
  for (const auto& ch : channels_) {
    c.bytes_read += ch->counters().bytes_read;
    c.bytes_written += ch->counters().bytes_written;
  }
  c.bus_busy_cycles = bus_busy_cycles_;
  return c;
}

}  // namespace h4h::cyc
