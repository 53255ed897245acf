#pragma once
// The compute units: cim.compute_units identical units that share the partial-sum queues of all
// macros, accumulate partial sums into the output buffer and requantise finished outputs.
//
// Distribution (PacketDispatch), decided once per cycle from the state at the start of the cycle:
// the units idle at the start of the cycle, in index order, take one packet each from the non-empty
// macro queues in round-robin order, starting after the queue served last; a queue gives at most
// one packet per cycle, and only a packet whose position lies in the output buffer's window
// (position < window_end, see OutputWriter). A unit that takes a packet accumulates in that cycle.
// A unit accumulates min(remaining, cim.cu_outputs_per_cycle) partial sums per cycle (cim_cu_ops
// counts them); in the cycle of its packet's last partial sums it pushes a PsumDone to the output
// writer and is idle from the next cycle. The last packet of an output group also requantises the
// group's outputs within that cycle (no extra cycle).
#include <cstdint>
#include <vector>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/systemc/cim/cim_common.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

class PacketDispatch {
 public:
  PacketDispatch(std::vector<RegisteredQueue<PsumPacket>>& queues, int units);

  void begin(const Registered<int64_t>& window_end);
  void end() { window_end_ = nullptr; }
  // Each unit's idle flag (committed at the end of a cycle); set once by the units.
  void attach(int unit, const Registered<bool>& idle) { idle_[size_t(unit)] = &idle; }

  // The packet assigned to `unit` in cycle `now` (false if none). The first call in a cycle decides
  // for all units; only this class pops the queues, so that decision sees the start-of-cycle state.
  bool take(int unit, Cycle now, PsumPacket* packet);
  // Some queue has a packet an idle unit could take now.
  bool has_eligible() const;
  // Some queue's head lies beyond the output window (the output buffer is full for it).
  bool blocked_by_window() const;

 private:
  void decide(Cycle now);

  std::vector<RegisteredQueue<PsumPacket>>& queues_;
  std::vector<const Registered<bool>*> idle_;
  const Registered<int64_t>* window_end_ = nullptr;
  std::vector<PsumPacket> assigned_;
  std::vector<char> has_;
  size_t next_queue_ = 0;
  Cycle decided_ = -1;
};

struct ComputeUnitCounters {
  int64_t packets = 0;
  int64_t busy_cycles = 0;
  int64_t starved_cycles = 0;      // idle during a round, no packet waiting (output_full excluded)
  int64_t output_full_cycles = 0;  // idle, no packet it may take, some queue head beyond the output window
};

class ComputeUnit : public CimProcess {
 public:
  ComputeUnit(int index, const CimSpec& cim, PacketDispatch& dispatch, RegisteredQueue<PsumDone>& out);

  void begin();  // starts a round
  void end() { active_ = false; }
  bool busy() const { return busy_; }
  bool accumulated() const { return accumulated_; }  // in the last tick
  const Registered<bool>& idle() const { return idle_; }
  const ComputeUnitCounters& counters() const { return counters_; }
  const ActionCounts& actions() const { return actions_; }

  void tick(Cycle now) override;
  void commit() override { idle_.commit(); }
  bool quiescent() const override;
  void skip(int64_t cycles) override;

 private:
  void count_idle(int64_t cycles);

  int index_;
  int64_t per_cycle_;
  PacketDispatch& dispatch_;
  RegisteredQueue<PsumDone>& out_;
  bool active_ = false;
  bool busy_ = false;
  bool accumulated_ = false;
  int64_t remaining_ = 0;
  int64_t position_ = 0;
  Registered<bool> idle_{true};
  ComputeUnitCounters counters_;
  ActionCounts actions_;
};

}  // namespace h4h::cyc
