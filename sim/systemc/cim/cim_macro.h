#pragma once
// CimMacro: one MRAM macro computing its tiles of a round, position after position.
//
// For each position p (in order) and each of the macro's tiles (in command order; one sub-array
// computes at a time, switching costs nothing) the macro drives the input bit-serially: one
// bit-slice per cycle, RunPlan::bit_passes cycles per tile. Each slice then passes through
// cim.pipeline_latency_cycles (L) stages (array read, adder tree, shift-accumulate): a slice driven in
// cycle c leaves the last stage in cycle c + L, and when it is a tile's last slice the tile's partial
// sums for p are pushed in that cycle as one PsumPacket into the macro's queue (visible to the compute
// units from c + L + 1). With L = 0 the packet is pushed in the cycle of the last slice.
// A position may be driven from the cycle after the fetcher shows it ready.
// Back-pressure: when the slice leaving the pipeline must push and the queue is full, the whole
// macro (pipeline and drive) holds for the cycle: a back_pressure stall. A cycle in which the macro
// has positions left but cannot drive because the next position is not ready is an operand_wait
// (also when its pipeline still moves). cim_macs: a tile's CimRunTile::macs per position, counted in
// the cycle its last slice is driven.
#include <cstdint>
#include <vector>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/systemc/cim/cim_common.h"
#include "sim/systemc/cim/run_plan.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

struct CimMacroCounters {
  int64_t slices_driven = 0;        // array activations (bit-slices)
  int64_t packets = 0;
  int64_t active_cycles = 0;        // drove a slice or moved its pipeline
  int64_t operand_wait_cycles = 0;
  int64_t back_pressure_cycles = 0;
};

// What the macro did in the last tick.
enum class MacroState { Idle, Active, OperandWait, OperandWaitMoving, BackPressure };

class CimMacro : public CimProcess {
 public:
  CimMacro(int index, const CimSpec& cim, RegisteredQueue<PsumPacket>& out);

  // Starts a round; `ready`: the fetcher's ready positions.
  void begin(const RunPlan& plan, const Registered<int64_t>& ready);
  void end();

  bool computes() const;  // has tiles in the round
  bool done() const;      // every packet pushed
  const Registered<int64_t>& positions_done() const { return done_; }  // all tiles driven
  MacroState state() const { return state_; }
  const CimMacroCounters& counters() const { return counters_; }
  const ActionCounts& actions() const { return actions_; }

  void tick(Cycle now) override;
  void commit() override { done_.commit(); }
  bool quiescent() const override;
  void skip(int64_t cycles) override;

 private:
  struct Slice {
    bool valid = false;
    bool last = false;  // the tile's last bit-slice: completes a packet
    int32_t tile = 0;
    int64_t position = 0;
  };
  bool operand_ready() const;
  bool must_push_blocked() const;  // the leaving slice completes a packet and the queue is full
  void count(MacroState s, int64_t cycles);

  int index_;
  int64_t latency_;
  RegisteredQueue<PsumPacket>& out_;
  const RunPlan* plan_ = nullptr;
  const Registered<int64_t>* ready_ = nullptr;
  const std::vector<int32_t>* tiles_ = nullptr;
  std::vector<Slice> stages_;  // ring of latency_ slices; head_: the one leaving next
  size_t head_ = 0;
  int64_t in_flight_ = 0;      // valid slices in stages_
  int64_t position_ = 0;       // next position to drive
  size_t tile_ = 0;            // next tile (index into *tiles_)
  int64_t pass_ = 0;           // next bit-slice of that tile
  Registered<int64_t> done_{0};
  MacroState state_ = MacroState::Idle;
  CimMacroCounters counters_;
  ActionCounts actions_;
};

}  // namespace h4h::cyc
