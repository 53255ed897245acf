#pragma once
// SharedSram: the banked on-chip SRAM shared by the NPU, the CIM unit and the DMA, as a plain C++
// cycle model (the SystemC module that owns it calls evaluate()/commit() once per clock cycle).
//
// Address map: consecutive interleave_bytes-sized blocks go to consecutive banks,
//   bank(address) = (address / interleave_bytes) % banks.
//
// Ports. A client owns a port: it pushes MemoryRequests (target Sram) into requests(port), a
// RegisteredQueue, and reads deliveries(port). A port works on its requests strictly in order:
//  - In cycle t the port may move at most port_rate.bytes_at(t) bytes (see rate.h), split into
//    beats. A beat is a contiguous piece of the head request that never crosses an interleave
//    boundary, so it touches exactly one bank, and never carries more than its bank has left this
//    cycle. A request straddling an interleave boundary is therefore served by two (or more) banks.
//  - Beats are issued in address order. When the head request's next beat cannot be issued (its bank
//    is taken by another port, or the bank has no width left), the port stops for the cycle: it
//    never skips ahead. When the head request completes and the port has width left, it continues
//    with the next request in the same cycle.
//  - The head request stays in the queue (and occupies an entry of queue_entries) until its last
//    beat is granted; its slot frees the cycle after (RegisteredQueue semantics).
//
// Banks. A bank is single-ported: in one cycle it serves at most one port, and at most
// bank_rate.bytes_at(t) bytes (reads and writes together). The owning port may issue several beats
// to it in that cycle (e.g. two requests, or both halves of a straddling request with one bank).
// Ports wanting a free bank are arbitrated in rounds, one beat per port per round: in each round
// every port still moving names the bank of its next beat; a bank that is free and wanted by
// several ports is granted to one (round-robin: the first port after the last one granted that
// bank, cyclically by port index; fixed priority: the lowest port index), and the others stop for
// the cycle. A bank already owned by another port this cycle stops the port too. Either way that is
// a bank conflict for the stopped port.
//
// Timing (register semantics; a cycle = every client acts, evaluate(t), then commit(), with the
// clients and evaluate(t) in any order):
//  - A request pushed in cycle t is first arbitrated in cycle t + 1.
//  - A read beat granted in cycle g is visible in deliveries(port) during cycle g + latency_cycles.
//  - A write beat is acknowledged when granted: its delivery is visible during cycle g + 1.
//    Consequently a write acknowledgement may overtake the data of an earlier read of the same port
//    (different requests; the tags tell them apart). Within a request deliveries are in order.
//  - One MemoryDelivery per beat; `last` is set on the delivery of the request's final beat.
//  - deliveries(port) holds exactly the deliveries visible in the current cycle; commit() replaces
//    them. A client must consume them in that cycle (there is no backpressure on deliveries: a client
//    limits what it has in flight by what it requests).
//
// Errors: bad configuration -> std::invalid_argument naming the parameter; a request outside the
// SRAM, with bytes < 1 or not targeting the SRAM -> std::logic_error (a model bug) when it reaches
// the head of its queue.
//
// Cost: evaluate() is O(ports + banks touched + beats) per cycle and allocates nothing once the
// buffers reached their high-water marks.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/kernel/registered_queue.h"
#include "sim/systemc/memory/next_event.h"
#include "sim/systemc/memory/rate.h"
#include "sim/systemc/memory/ring_buffer.h"

namespace h4h::cyc {

enum class SramArbitration { RoundRobin, FixedPriority };

struct SharedSramConfig {
  int64_t size_bytes = 0;                // address space: [0, size_bytes), >= 1
  int banks = 1;                         // >= 1
  double bytes_per_cycle_per_bank = 8;   // may be fractional (rate.h)
  int64_t interleave_bytes = 64;         // a power of two
  int latency_cycles = 1;                // read grant -> data visible, >= 1
  SramArbitration arbitration = SramArbitration::RoundRobin;
};

// Why a port with work stopped short in a cycle.
enum class SramStall : uint8_t {
  None,          // it moved its full width, or ran out of requests
  BankConflict,  // the bank of its next beat went to another port this cycle
  BankWidth,     // the bank of its next beat had no width left (used up by this port, or a
                 // fractional bank width giving 0 bytes this cycle)
};

struct SramBankCounters {
  int64_t read_bytes = 0, write_bytes = 0;
  int64_t read_beats = 0, write_beats = 0;  // accesses: one per beat
  int64_t busy_cycles = 0;      // cycles the bank moved at least one byte
  int64_t conflict_cycles = 0;  // cycles at least one port was stopped by another port on this bank
};

struct SharedSramPortCounters {
  int64_t read_bytes = 0, write_bytes = 0;
  int64_t beats = 0;
  int64_t requests = 0;     // requests completed (last beat granted)
  int64_t busy_cycles = 0;  // cycles with at least one beat granted
  // Stall cycles: the port had a beat ready and was granted nothing, by cause. The first is the
  // stall cause bank_conflict of the cost report.
  int64_t bank_conflict_stall_cycles = 0;
  int64_t bank_width_stall_cycles = 0;
  // Cycles the port was granted some bytes but stopped short of its width, by cause (e.g. an 8 B/cycle
  // port on a 4 B/cycle bank is bank-width limited every cycle).
  int64_t bank_conflict_limited_cycles = 0;
  int64_t bank_width_limited_cycles = 0;
};

// What a bank did in the last evaluated cycle (for traces).
struct SramBankCycle {
  int port = -1;  // the port it served, -1 if none
  int64_t read_bytes = 0, write_bytes = 0;
  int stopped_ports = 0;  // ports stopped by a conflict on this bank
};

// What a port did in the last evaluated cycle (for traces and stall attribution).
struct SramPortCycle {
  int64_t bytes = 0;  // granted, reads and writes
  int beats = 0;
  SramStall stall = SramStall::None;  // why it stopped short, if it did
};

class SharedSram {
 public:
  explicit SharedSram(const SharedSramConfig& config);
  ~SharedSram();
  SharedSram(const SharedSram&) = delete;
  SharedSram& operator=(const SharedSram&) = delete;

  // A new port moving at most bytes_per_cycle (rate.h) with a request queue of queue_entries (>= 1);
  // returns its id (0, 1, ...: also its fixed priority, 0 highest). Throws std::invalid_argument on a
  // bad width or queue size. References returned by requests()/deliveries() stay valid for the
  // lifetime of the SharedSram.
  int add_port(const std::string& name, double bytes_per_cycle, int queue_entries);

  RegisteredQueue<MemoryRequest>& requests(int port);
  const std::vector<MemoryDelivery>& deliveries(int port) const;

  // One cycle: arbitration and grants on the requests visible at the start of `now` (now must be
  // greater than the previous evaluated cycle; cycles may be skipped only as next_event_cycle()
  // allows). Client-visible state changes only in commit().
  void evaluate(Cycle now);
  // End of the cycle: commits the request queues; the deliveries staged for the next cycle become
  // visible.
  void commit();
  void tick(Cycle now) {
    evaluate(now);
    commit();
  }

  // Nothing queued or arriving, no read in flight, no delivery visible: ticking changes nothing
  // until a client pushes.
  bool idle() const;
  // The first cycle after the last evaluated one whose evaluate()/commit() may change anything
  // (kNoEvent when idle()). Asked after the clients acted in cycle c: if it is > c, the driver may
  // skip evaluate(c)/commit() for c.
  Cycle next_event_cycle() const;

  int bank_of(int64_t address) const {
    const int64_t block = address >> interleave_shift_;
    return int(bank_mask_ >= 0 ? block & bank_mask_ : block % config_.banks);
  }

  const SharedSramConfig& config() const { return config_; }
  int ports() const { return int(ports_.size()); }
  const std::string& port_name(int port) const;
  const SharedSramPortCounters& port_counters(int port) const;
  const SramBankCounters& bank_counters(int bank) const;
  // The last evaluated cycle (-1 before the first) and what each bank and port did in it (valid from
  // evaluate() until the next evaluate(); a cycle the driver skipped had no activity).
  Cycle last_cycle() const { return last_cycle_; }
  const std::vector<SramBankCycle>& bank_activity() const { return bank_cycle_; }
  const std::vector<SramPortCycle>& port_activity() const { return port_cycle_; }

 private:
  struct Port;
  struct Bank {
    Cycle stamp = -1;        // the cycle owner/left belong to (reset lazily when first touched)
    int owner = -1;          // port served this cycle
    int64_t left = 0;        // bytes still grantable this cycle
    int last_granted = -1;   // round-robin pointer
    std::vector<int> contenders;  // this round's requesters (scratch)
    SramBankCounters counters;
  };
  // A read beat between grant and delivery.
  struct InFlight {
    Cycle visible = 0;  // cycle in which the client sees it
    int port = 0;
    MemoryDelivery delivery;
  };

  const Port& port_at(int port) const;
  void validate_head(const MemoryRequest& r) const;
  int pick_winner(const Bank& bank) const;
  Bank& touch_bank(int b, Cycle now, int64_t width);
  void grant_beat(int port_id, Port& port, Bank& bank, int bank_id, Cycle now);
  void finish_port_cycle(Port& port, SramPortCycle& activity);

  SharedSramConfig config_;
  Rate bank_rate_;
  int interleave_shift_ = 0;
  int64_t bank_mask_ = -1;  // banks - 1 when banks is a power of two, else -1
  std::vector<std::unique_ptr<Port>> ports_;
  std::vector<Bank> banks_;
  RingBuffer<InFlight> in_flight_;  // ordered by `visible` (grants are in cycle order)
  Cycle last_cycle_ = -1;
  std::vector<SramBankCycle> bank_cycle_;
  std::vector<SramPortCycle> port_cycle_;
  std::vector<int> active_, next_active_, touched_banks_;  // per-round scratch
  std::vector<int> dirty_banks_;  // banks touched in the last evaluated cycle
};

}  // namespace h4h::cyc
