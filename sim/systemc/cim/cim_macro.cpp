#include "sim/systemc/cim/cim_macro.h"

#include <algorithm>

namespace h4h::cyc {

CimMacro::CimMacro(int index, const CimSpec& cim, RegisteredQueue<PsumPacket>& out)
    : index_(index), latency_(std::max(0, cim.pipeline_latency_cycles)), out_(out), stages_(size_t(latency_)) {}

void CimMacro::begin(const RunPlan& plan, const Registered<int64_t>& ready) {
  plan_ = &plan;
  ready_ = &ready;
  tiles_ = &plan.macro_tiles[size_t(index_)];
  std::fill(stages_.begin(), stages_.end(), Slice{});
  head_ = 0;
  in_flight_ = 0;
  position_ = tiles_->empty() ? plan.positions : 0;
  tile_ = 0;
  pass_ = 0;
  done_.reset(position_);
  state_ = MacroState::Idle;
}

void CimMacro::end() { plan_ = nullptr; }

bool CimMacro::computes() const { return plan_ && !tiles_->empty(); }

bool CimMacro::done() const { return !plan_ || (position_ == plan_->positions && in_flight_ == 0); }

bool CimMacro::operand_ready() const { return position_ < plan_->positions && position_ < ready_->get(); }

bool CimMacro::must_push_blocked() const {
  if (out_.can_push()) return false;
  if (latency_ > 0) {
    const Slice& s = stages_[head_];
    return s.valid && s.last;
  }
  return operand_ready() && pass_ + 1 == plan_->bit_passes;  // L = 0: the slice to drive leaves now
}

void CimMacro::count(MacroState s, int64_t cycles) {
  switch (s) {
    case MacroState::Active: counters_.active_cycles += cycles; break;
    case MacroState::OperandWaitMoving:
      counters_.active_cycles += cycles;
      counters_.operand_wait_cycles += cycles;
      break;
    case MacroState::OperandWait: counters_.operand_wait_cycles += cycles; break;
    case MacroState::BackPressure: counters_.back_pressure_cycles += cycles; break;
    case MacroState::Idle: break;
  }
}

void CimMacro::tick(Cycle) {
  if (!plan_ || done()) {
    state_ = MacroState::Idle;
    return;
  }
  if (must_push_blocked()) {
    state_ = MacroState::BackPressure;
    count(state_, 1);
    return;
  }
  Slice fresh;
  if (operand_ready()) {
    fresh = Slice{true, pass_ + 1 == plan_->bit_passes, (*tiles_)[tile_], position_};
  }
  const Slice leaving = latency_ > 0 ? stages_[head_] : fresh;
  if (leaving.valid && leaving.last) {
    out_.push(PsumPacket{leaving.position, leaving.tile, int32_t(plan_->run->tiles[size_t(leaving.tile)].outputs)});
    ++counters_.packets;
  }
  const bool moved = fresh.valid || in_flight_ > 0;
  if (latency_ > 0) {
    in_flight_ += int64_t(fresh.valid) - int64_t(stages_[head_].valid);
    stages_[head_] = fresh;
    head_ = (head_ + 1) % stages_.size();
  }
  if (fresh.valid) {
    ++counters_.slices_driven;
    if (fresh.last) {
      actions_.cim_macs += plan_->run->tiles[size_t(fresh.tile)].macs;
      pass_ = 0;
      if (++tile_ == tiles_->size()) {
        tile_ = 0;
        done_.set(++position_);
      }
    } else {
      ++pass_;
    }
    state_ = MacroState::Active;
  } else if (position_ < plan_->positions) {
    state_ = moved ? MacroState::OperandWaitMoving : MacroState::OperandWait;
  } else {
    state_ = MacroState::Active;  // draining its pipeline
  }
  count(state_, 1);
}

bool CimMacro::quiescent() const {
  if (!plan_ || done()) return true;
  if (must_push_blocked()) return true;
  return in_flight_ == 0 && !operand_ready();
}

void CimMacro::skip(int64_t cycles) {
  if (!plan_ || done()) {
    state_ = MacroState::Idle;
    return;
  }
  state_ = must_push_blocked() ? MacroState::BackPressure : MacroState::OperandWait;
  count(state_, cycles);
}

}  // namespace h4h::cyc
