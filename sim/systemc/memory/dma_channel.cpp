#include "sim/systemc/memory/dma_channel.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>

namespace h4h::cyc {

namespace {

[[noreturn]] void bad_parameter(const std::string& channel, const std::string& parameter,
                                const std::string& rule, int64_t got) {
  std::ostringstream msg;
  msg << "DmaChannel " << channel << ": " << parameter << " must be " << rule << " (got " << got
      << ")";
  throw std::invalid_argument(msg.str());
}

const DmaChannelConfig& checked(const DmaChannelConfig& c) {
  if (c.queue_entries < 1) bad_parameter(c.name, "queue_entries", ">= 1", c.queue_entries);
  if (c.burst_bytes < 1) bad_parameter(c.name, "burst_bytes", ">= 1", c.burst_bytes);
  if (c.max_outstanding < 1) bad_parameter(c.name, "max_outstanding", ">= 1", c.max_outstanding);
  return c;
}

}  // namespace

DmaChannel::DmaChannel(const DmaChannelConfig& config)
    : config_(checked(config)),
      port_rate_(config.port_bytes_per_cycle,
                 "DmaChannel " + config.name + ": port_bytes_per_cycle"),
      commands_(size_t(config.queue_entries)),
      bursts_(size_t(config.max_outstanding)) {
  // Deliveries per cycle: one per command touched; a cycle touches at most a few.
  visible_.reserve(4);
  staged_.reserve(4);
}

void DmaChannel::issue(Cycle now, int latency_cycles) {
  if (commands_.empty()) return;
  const MemoryRequest& c = commands_.front();
  if (issue_offset_ == 0 && (c.target != MemoryTarget::External || c.bytes < 1 || c.address < 0)) {
    std::ostringstream msg;
    msg << "DmaChannel " << config_.name << ": bad command (tag " << c.tag << ", address "
        << c.address << ", bytes " << c.bytes << ")";
    throw std::logic_error(msg.str());
  }
  if (int(bursts_.size()) >= config_.max_outstanding) {
    counters_.outstanding_stall_cycles += 1;
    return;
  }
  const int64_t start = c.address + issue_offset_;
  const int64_t boundary = (start / config_.burst_bytes + 1) * config_.burst_bytes;
  const int64_t end = std::min(c.address + c.bytes, boundary);
  Burst b;
  b.tag = c.tag;
  b.bytes = end - start;
  b.ready = now + latency_cycles;
  b.write = c.write;
  issue_offset_ += b.bytes;
  b.last_of_command = issue_offset_ == c.bytes;
  bursts_.push_back(b);
  counters_.bursts += 1;
  if (b.last_of_command) {
    issue_offset_ = 0;
    commands_.pop();
  }
}

int64_t DmaChannel::wants(Cycle now) const {
  if (bursts_.empty() || bursts_.front().ready > now) return 0;
  const int64_t cap = port_rate_.bytes_at(now);
  int64_t ready = 0;
  for (size_t i = 0; i < bursts_.size() && ready < cap && bursts_[i].ready <= now; ++i)
    ready += bursts_[i].bytes - bursts_[i].moved;
  return std::min(cap, ready);
}

void DmaChannel::move(int64_t bytes) {
  while (bytes > 0) {
    Burst& b = bursts_.front();
    const int64_t k = std::min(bytes, b.bytes - b.moved);
    b.moved += k;
    bytes -= k;
    (b.write ? counters_.bytes_written : counters_.bytes_read) += k;
    const bool done = b.moved == b.bytes;
    const bool last = done && b.last_of_command;
    // One delivery per command per cycle: a command's earlier deliveries are never `last`.
    if (!staged_.empty() && staged_.back().tag == b.tag && !staged_.back().last) {
      staged_.back().bytes += k;
      staged_.back().last = last;
    } else {
      staged_.push_back(MemoryDelivery{b.tag, k, last});
    }
    if (last) counters_.commands += 1;
    if (done) bursts_.pop_front();
  }
}

void DmaChannel::end_of_cycle(int64_t moved, bool had_ready) {
  if (moved > 0) {
    counters_.bus_cycles += 1;
  } else if (had_ready) {
    counters_.bus_wait_cycles += 1;
  }
}

void DmaChannel::commit() {
  commands_.commit();
  std::swap(visible_, staged_);
  staged_.clear();
}

bool DmaChannel::idle() const {
  return commands_.idle() && bursts_.empty() && visible_.empty() && staged_.empty();
}

Cycle DmaChannel::next_event_cycle(Cycle last) const {
  if (!commands_.idle() || !visible_.empty() || !staged_.empty()) return last + 1;
  if (!bursts_.empty()) return std::max(bursts_.front().ready, last + 1);
  return kNoEvent;
}

}  // namespace h4h::cyc
