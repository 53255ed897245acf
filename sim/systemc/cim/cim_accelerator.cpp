#include "sim/systemc/cim/cim_accelerator.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

namespace h4h::cyc {

namespace {

// Deliveries are drained every cycle; the bound only catches a runaway memory model.
constexpr size_t kDeliveryQueueEntries = size_t(1) << 20;
// PsumDone hand-off from a unit to the writer: the writer drains it every cycle, so two entries
// let a unit finish a packet every cycle.
constexpr size_t kDoneQueueEntries = 2;
// Each side of the SRAM port holds two requests, so that its requester can issue one per cycle.
constexpr size_t kPortSideEntries = 2;

const CimSimParams& checked(const CimSpec& cim, const CimSimParams& params) {
  if (cim.macros < 1 || cim.compute_units < 1 || cim.subarrays_per_macro < 1)
    throw std::invalid_argument("CimAccelerator: the CIM needs >= 1 macro, sub-array and compute unit");
  validate_cim_params(params);
  return params;
}

void subtract(ActionCounts& a, const ActionCounts& b) {
  for (const ActionKind& k : kActionKinds) a.*(k.count) -= b.*(k.count);
}

}  // namespace

CimAccelerator::CimAccelerator(const CimSpec& cim, const CimSimParams& params)
    : cim_(cim),
      params_(checked(cim, params)),
      sram_out_(size_t(params.port_queue_entries)),
      dma_out_(size_t(params.port_queue_entries)),
      read_side_(kPortSideEntries),
      write_side_(kPortSideEntries),
      input_deliveries_(kDeliveryQueueEntries),
      write_deliveries_(kDeliveryQueueEntries),
      dma_deliveries_(kDeliveryQueueEntries),
      psum_queues_(size_t(cim.macros), RegisteredQueue<PsumPacket>(size_t(params.psum_queue_packets))),
      done_queues_(size_t(cim.compute_units), RegisteredQueue<PsumDone>(kDoneQueueEntries)),
      fetcher_(params_, read_side_, input_deliveries_),
      dispatch_(psum_queues_, cim.compute_units),
      writer_(params_, done_queues_, write_side_, write_deliveries_),
      port_(read_side_, write_side_, sram_out_),
      programmer_(cim, params_, dma_out_, dma_deliveries_),
      slots_(size_t(cim.macros), std::vector<uint64_t>(size_t(cim.subarrays_per_macro), 0)) {
  processes_.push_back(&fetcher_);
  for (int m = 0; m < cim.macros; ++m) {
    macros_.push_back(std::make_unique<CimMacro>(m, cim_, psum_queues_[size_t(m)]));
    processes_.push_back(macros_.back().get());
  }
  for (int u = 0; u < cim.compute_units; ++u) {
    units_.push_back(std::make_unique<ComputeUnit>(u, cim_, dispatch_, done_queues_[size_t(u)]));
    processes_.push_back(units_.back().get());
  }
  processes_.push_back(&writer_);
  processes_.push_back(&port_);
  processes_.push_back(&programmer_);
  order_.resize(processes_.size());
  std::iota(order_.begin(), order_.end(), size_t(0));
}

void CimAccelerator::set_tick_order(std::vector<size_t> order) {
  std::vector<size_t> sorted = order;
  std::sort(sorted.begin(), sorted.end());
  for (size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != i) sorted.clear();
  if (sorted.size() != processes_.size()) throw std::invalid_argument("CimAccelerator: tick order is not a permutation");
  order_ = std::move(order);
}

void CimAccelerator::submit(CimCommand command) {
  if (!ready()) throw std::logic_error("CimAccelerator: submit while a command is running");
  if (const auto* program = std::get_if<CimProgram>(&command.body)) {
    validate_program(*program, cim_);
  } else {
    const CimRun& run = std::get<CimRun>(command.body);
    make_run_plan(run, cim_);
    for (size_t i = 0; i < run.tiles.size(); ++i) {
      const CimRunTile& t = run.tiles[i];
      if (t.weights_id != 0 && slots_[size_t(t.macro)][size_t(t.subarray)] != t.weights_id)
        throw std::invalid_argument("CIM command: run tile " + std::to_string(i) +
                                    ": its sub-array does not hold the weights it names");
    }
  }
  pending_ = std::move(command);
}

ActionCounts CimAccelerator::actions() const {
  ActionCounts a = programmer_.actions();
  for (const auto& m : macros_) a += m->actions();
  for (const auto& u : units_) a += u->actions();
  return a;
}

void CimAccelerator::start(Cycle now) {
  current_ = std::move(pending_);
  pending_.reset();
  record_ = CimCommandRecord{};
  record_.id = current_->id;
  record_.start = now;
  actions_at_start_ = actions();
  if (const auto* program = std::get_if<CimProgram>(&current_->body)) {
    record_.kind = CimCommandKind::Program;
    for (const CimProgramTile& t : program->tiles) slots_[size_t(t.macro)][size_t(t.subarray)] = t.weights_id;
    programmer_.begin(*program);
    return;
  }
  record_.kind = CimCommandKind::Run;
  plan_ = make_run_plan(std::get<CimRun>(current_->body), cim_);
  std::vector<const Registered<int64_t>*> consumers;
  for (auto& m : macros_) {
    m->begin(plan_, fetcher_.ready_positions());
    if (m->computes()) consumers.push_back(&m->positions_done());
  }
  fetcher_.begin(plan_, std::move(consumers));
  writer_.begin(plan_);
  dispatch_.begin(writer_.window_end());
  for (auto& u : units_) u->begin();
}

void CimAccelerator::tick(Cycle now) {
  if (!current_ && pending_) start(now);
  for (size_t i : order_) processes_[i]->tick(now);
}

void CimAccelerator::account(int64_t cycles, bool compute) {
  (compute ? record_.compute_cycles : record_.stalls.memory) += cycles;
  if (record_.kind == CimCommandKind::Program) {
    record_.stalls.weight_programming += cycles;
    return;
  }
  bool operand_wait = false, back_pressure = false;
  for (const auto& m : macros_) {
    const MacroState s = m->state();
    operand_wait = operand_wait || s == MacroState::OperandWait || s == MacroState::OperandWaitMoving;
    back_pressure = back_pressure || s == MacroState::BackPressure;
  }
  if (operand_wait) record_.stalls.operand_wait += cycles;
  if (back_pressure) record_.stalls.back_pressure += cycles;
}

bool CimAccelerator::command_done() const {
  if (record_.kind == CimCommandKind::Program) return programmer_.done();
  if (!fetcher_.done() || !writer_.done()) return false;
  for (const auto& m : macros_)
    if (!m->done()) return false;
  return true;
}

void CimAccelerator::finish(Cycle now) {
  record_.end = now + 1;
  record_.actions = actions();
  subtract(record_.actions, actions_at_start_);
  records_.push_back(record_);
  fetcher_.end();
  for (auto& m : macros_) m->end();
  dispatch_.end();
  for (auto& u : units_) u->end();
  writer_.end();
  programmer_.end();
  current_.reset();
}

void CimAccelerator::commit(Cycle now) {
  if (current_) {
    bool compute = false;
    if (record_.kind == CimCommandKind::Program) {
      compute = programmer_.writing();
    } else {
      bool drove = false, waiting = false, accumulated = false;
      for (const auto& m : macros_) {
        drove = drove || m->state() == MacroState::Active;
        waiting = waiting || m->state() == MacroState::OperandWait || m->state() == MacroState::OperandWaitMoving;
      }
      for (const auto& u : units_) accumulated = accumulated || u->accumulated();
      compute = drove || (!waiting && accumulated);
    }
    account(1, compute);
  }
  for (RegisteredQueue<MemoryRequest>* q : {&sram_out_, &dma_out_, &read_side_, &write_side_}) q->commit();
  for (RegisteredQueue<MemoryDelivery>* q : {&input_deliveries_, &write_deliveries_, &dma_deliveries_}) q->commit();
  for (auto& q : psum_queues_) q.commit();
  for (auto& q : done_queues_) q.commit();
  for (CimProcess* p : processes_) p->commit();
  if (current_ && command_done()) finish(now);
}

bool CimAccelerator::quiescent() const {
  if (pending_) return false;
  if (!current_) return true;
  return std::all_of(processes_.begin(), processes_.end(), [](const CimProcess* p) { return p->quiescent(); });
}

void CimAccelerator::skip(Cycle, int64_t cycles) {
  if (cycles <= 0 || !current_) return;
  if (!quiescent()) throw std::logic_error("CimAccelerator: skip while not quiescent");
  for (CimProcess* p : processes_) p->skip(cycles);
  account(cycles, false);
}

void CimAccelerator::deliver_sram(const MemoryDelivery& d) {
  switch (tag_source(d.tag)) {
    case TagSource::InputRead: input_deliveries_.push(d); return;
    case TagSource::OutputWrite: write_deliveries_.push(d); return;
    default: throw std::logic_error("CimAccelerator: SRAM delivery with a foreign tag");
  }
}

void CimAccelerator::deliver_dma(const MemoryDelivery& d) {
  if (tag_source(d.tag) != TagSource::WeightRead) throw std::logic_error("CimAccelerator: DMA delivery with a foreign tag");
  dma_deliveries_.push(d);
}

}  // namespace h4h::cyc
