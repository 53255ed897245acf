#include "sim/systemc/memory/shared_sram.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace h4h::cyc {

namespace {

[[noreturn]] void bad_parameter(const std::string& parameter, const std::string& rule, int64_t got) {
  std::ostringstream msg;
  msg << "SharedSram: " << parameter << " must be " << rule << " (got " << got << ")";
  throw std::invalid_argument(msg.str());
}

bool power_of_two(int64_t v) { return v > 0 && (v & (v - 1)) == 0; }

int log2_exact(int64_t v) {
  int s = 0;
  while ((int64_t(1) << s) < v) ++s;
  return s;
}

}  // namespace

struct SharedSram::Port {
  std::string name;
  Rate rate;
  RegisteredQueue<MemoryRequest> queue;
  int64_t offset = 0;                     // bytes of the head request already granted
  std::vector<MemoryDelivery> visible;    // deliveries(port) this cycle
  std::vector<MemoryDelivery> staged;     // visible from the next cycle
  SharedSramPortCounters counters;
  // Per-cycle scratch.
  int64_t left = 0;    // bytes the port may still move this cycle
  int want_bank = -1;  // bank of its next beat in the current round

  Port(std::string n, Rate r, size_t entries) : name(std::move(n)), rate(r), queue(entries) {}
};

SharedSram::SharedSram(const SharedSramConfig& config) : config_(config) {
  if (config.banks < 1) bad_parameter("banks", ">= 1", config.banks);
  if (!power_of_two(config.interleave_bytes))
    bad_parameter("interleave_bytes", "a power of two", config.interleave_bytes);
  if (config.latency_cycles < 1) bad_parameter("latency_cycles", ">= 1", config.latency_cycles);
  if (config.size_bytes < 1) bad_parameter("size_bytes", ">= 1", config.size_bytes);
  bank_rate_ = Rate(config.bytes_per_cycle_per_bank, "SharedSram: bytes_per_cycle_per_bank");
  interleave_shift_ = log2_exact(config.interleave_bytes);
  if (power_of_two(config.banks)) bank_mask_ = config.banks - 1;
  banks_.resize(size_t(config.banks));
  bank_cycle_.resize(size_t(config.banks));
  touched_banks_.reserve(size_t(config.banks));
  dirty_banks_.reserve(size_t(config.banks));
}

SharedSram::~SharedSram() = default;

int SharedSram::add_port(const std::string& name, double bytes_per_cycle, int queue_entries) {
  if (queue_entries < 1) bad_parameter("port " + name + " queue_entries", ">= 1", queue_entries);
  Rate rate(bytes_per_cycle, "SharedSram: port " + name + " bytes_per_cycle");
  ports_.push_back(std::make_unique<Port>(name, rate, size_t(queue_entries)));
  Port& p = *ports_.back();
  // Deliveries per cycle: at most one per beat, and a beat carries >= 1 byte.
  const size_t per_cycle = size_t(std::min<int64_t>(rate.max_bytes_per_cycle(), 64));
  p.visible.reserve(per_cycle);
  p.staged.reserve(per_cycle);
  port_cycle_.resize(ports_.size());
  active_.reserve(ports_.size());
  next_active_.reserve(ports_.size());
  for (Bank& b : banks_) b.contenders.reserve(ports_.size());
  return int(ports_.size()) - 1;
}

const SharedSram::Port& SharedSram::port_at(int port) const {
  if (port < 0 || port >= int(ports_.size())) throw std::logic_error("SharedSram: no such port");
  return *ports_[size_t(port)];
}

RegisteredQueue<MemoryRequest>& SharedSram::requests(int port) {
  return const_cast<Port&>(port_at(port)).queue;
}
const std::vector<MemoryDelivery>& SharedSram::deliveries(int port) const {
  return port_at(port).visible;
}
const std::string& SharedSram::port_name(int port) const { return port_at(port).name; }
const SharedSramPortCounters& SharedSram::port_counters(int port) const {
  return port_at(port).counters;
}
const SramBankCounters& SharedSram::bank_counters(int bank) const {
  if (bank < 0 || bank >= config_.banks) throw std::logic_error("SharedSram: no such bank");
  return banks_[size_t(bank)].counters;
}

void SharedSram::validate_head(const MemoryRequest& r) const {
  if (r.target != MemoryTarget::Sram || r.bytes < 1 || r.address < 0 ||
      r.address > config_.size_bytes - r.bytes) {
    std::ostringstream msg;
    msg << "SharedSram: bad request (tag " << r.tag << ", address " << r.address << ", bytes "
        << r.bytes << ") for an SRAM of " << config_.size_bytes << " bytes";
    throw std::logic_error(msg.str());
  }
}

SharedSram::Bank& SharedSram::touch_bank(int b, Cycle now, int64_t width) {
  Bank& bank = banks_[size_t(b)];
  if (bank.stamp != now) {
    bank.stamp = now;
    bank.owner = -1;
    bank.left = width;
    dirty_banks_.push_back(b);
  }
  return bank;
}

int SharedSram::pick_winner(const Bank& bank) const {
  if (bank.contenders.size() == 1) return bank.contenders[0];
  const int n = int(ports_.size());
  int best = -1, best_key = n;
  for (int p : bank.contenders) {
    // Fixed priority: the lowest index. Round-robin: the first index after last_granted.
    int key = p;
    if (config_.arbitration == SramArbitration::RoundRobin)
      key = p > bank.last_granted ? p - bank.last_granted - 1 : p - bank.last_granted - 1 + n;
    if (key < best_key) best_key = key, best = p;
  }
  return best;
}

void SharedSram::grant_beat(int port_id, Port& port, Bank& bank, int bank_id, Cycle now) {
  const MemoryRequest& r = port.queue.front();
  const int64_t address = r.address + port.offset;
  const int64_t to_boundary = config_.interleave_bytes - (address & (config_.interleave_bytes - 1));
  const int64_t beat = std::min({port.left, bank.left, r.bytes - port.offset, to_boundary});
  port.left -= beat;
  bank.left -= beat;
  port.offset += beat;
  const bool last = port.offset == r.bytes;
  const MemoryDelivery delivery{r.tag, beat, last};

  SramBankCycle& ba = bank_cycle_[size_t(bank_id)];
  SramPortCycle& pa = port_cycle_[size_t(port_id)];
  ba.port = port_id;
  pa.bytes += beat;
  pa.beats += 1;
  port.counters.beats += 1;
  if (r.write) {
    ba.write_bytes += beat;
    bank.counters.write_bytes += beat;
    bank.counters.write_beats += 1;
    port.counters.write_bytes += beat;
    port.staged.push_back(delivery);  // acknowledged at grant: visible next cycle
  } else {
    ba.read_bytes += beat;
    bank.counters.read_bytes += beat;
    bank.counters.read_beats += 1;
    port.counters.read_bytes += beat;
    const Cycle visible = now + config_.latency_cycles;
    if (visible == now + 1) {
      port.staged.push_back(delivery);
    } else {
      in_flight_.push_back(InFlight{visible, port_id, delivery});
    }
  }
  if (last) {
    port.counters.requests += 1;
    port.offset = 0;
    port.queue.pop();
  }
}

void SharedSram::finish_port_cycle(Port& port, SramPortCycle& a) {
  SharedSramPortCounters& c = port.counters;
  if (a.bytes > 0) {
    c.busy_cycles += 1;
    if (a.stall == SramStall::BankConflict) c.bank_conflict_limited_cycles += 1;
    if (a.stall == SramStall::BankWidth) c.bank_width_limited_cycles += 1;
  } else {
    if (a.stall == SramStall::BankConflict) c.bank_conflict_stall_cycles += 1;
    if (a.stall == SramStall::BankWidth) c.bank_width_stall_cycles += 1;
  }
}

void SharedSram::evaluate(Cycle now) {
  if (now <= last_cycle_) throw std::logic_error("SharedSram: evaluate() cycles must increase");
  last_cycle_ = now;

  // Reads granted earlier that become visible next cycle go first: they precede this cycle's grants.
  while (!in_flight_.empty() && in_flight_.front().visible <= now + 1) {
    const InFlight& f = in_flight_.front();
    if (f.visible < now + 1)
      throw std::logic_error("SharedSram: a cycle with a read delivery was skipped");
    ports_[size_t(f.port)]->staged.push_back(f.delivery);
    in_flight_.pop_front();
  }

  // Banks are reset when first touched in a cycle; the activity of last cycle's ones is cleared.
  const int64_t bank_width = bank_rate_.bytes_at(now);
  for (int b : dirty_banks_) bank_cycle_[size_t(b)] = SramBankCycle{};
  dirty_banks_.clear();
  active_.clear();
  for (size_t p = 0; p < ports_.size(); ++p) {
    Port& port = *ports_[p];
    port_cycle_[p] = SramPortCycle{};
    if (port.queue.empty()) continue;
    port.left = port.rate.bytes_at(now);
    if (port.left > 0) active_.push_back(int(p));
  }

  // Rounds: each port still moving asks for the bank of its next beat; one beat per port per round.
  while (!active_.empty()) {
    touched_banks_.clear();
    for (int p : active_) {
      Port& port = *ports_[size_t(p)];
      const MemoryRequest& r = port.queue.front();
      if (port.offset == 0) validate_head(r);
      const int b = bank_of(r.address + port.offset);
      port.want_bank = b;
      Bank& bank = touch_bank(b, now, bank_width);
      if (bank.owner == p) continue;  // already serving this port this cycle
      if (bank.owner >= 0) {
        port_cycle_[size_t(p)].stall = SramStall::BankConflict;
        bank_cycle_[size_t(b)].stopped_ports += 1;
        continue;
      }
      if (bank.left == 0) {  // fractional width: no byte this cycle
        port_cycle_[size_t(p)].stall = SramStall::BankWidth;
        continue;
      }
      if (bank.contenders.empty()) touched_banks_.push_back(b);
      bank.contenders.push_back(p);
    }
    for (int b : touched_banks_) {
      Bank& bank = banks_[size_t(b)];
      const int winner = pick_winner(bank);
      bank.owner = winner;
      bank.last_granted = winner;
      for (int p : bank.contenders) {
        if (p == winner) continue;
        port_cycle_[size_t(p)].stall = SramStall::BankConflict;
        bank_cycle_[size_t(b)].stopped_ports += 1;
      }
      bank.contenders.clear();
    }
    next_active_.clear();
    for (int p : active_) {
      if (port_cycle_[size_t(p)].stall != SramStall::None) continue;
      Port& port = *ports_[size_t(p)];
      Bank& bank = banks_[size_t(port.want_bank)];
      if (bank.left == 0) {  // this port used up the bank's width
        port_cycle_[size_t(p)].stall = SramStall::BankWidth;
        continue;
      }
      grant_beat(p, port, bank, port.want_bank, now);
      if (port.left > 0 && !port.queue.empty()) next_active_.push_back(p);
    }
    std::swap(active_, next_active_);
  }

  for (size_t p = 0; p < ports_.size(); ++p) finish_port_cycle(*ports_[p], port_cycle_[p]);
  for (int b : dirty_banks_) {
    const SramBankCycle& a = bank_cycle_[size_t(b)];
    SramBankCounters& c = banks_[size_t(b)].counters;
    if (a.read_bytes + a.write_bytes > 0) c.busy_cycles += 1;
    if (a.stopped_ports > 0) c.conflict_cycles += 1;
  }
}

void SharedSram::commit() {
  for (auto& port : ports_) {
    port->queue.commit();
    std::swap(port->visible, port->staged);
    port->staged.clear();
  }
}

bool SharedSram::idle() const {
  if (!in_flight_.empty()) return false;
  for (const auto& port : ports_)
    if (!port->queue.idle() || !port->visible.empty() || !port->staged.empty()) return false;
  return true;
}

Cycle SharedSram::next_event_cycle() const {
  for (const auto& port : ports_)
    if (!port->queue.idle() || !port->visible.empty() || !port->staged.empty())
      return last_cycle_ + 1;
  // A read visible in cycle v is staged by evaluate(v - 1).
  if (!in_flight_.empty()) return in_flight_.front().visible - 1;
  return kNoEvent;
}

}  // namespace h4h::cyc
