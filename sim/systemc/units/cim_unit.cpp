#include "sim/systemc/units/cim_unit.h"

namespace h4h::cyc {

CimUnit::CimUnit(const HardwareSpec& hw, MemoryPortRef sram, MemoryPortRef dma)
    : accelerator_(hw.cim, default_cim_params(hw)), sram_(sram), dma_(dma) {}

std::vector<UnitProcess> CimUnit::processes() {
  return {{"cim", [this](Cycle now) { act(now); }}};
}

void CimUnit::start(const Task& task, Cycle first_cycle) {
  task_ = &task;
  busy_ = true;
  next_command_ = 0;
  records_before_ = accelerator_.records().size();
  record_ = TaskRecord{};
  record_.start = first_cycle;
}

void CimUnit::bridge(RegisteredQueue<MemoryRequest>& from, RegisteredQueue<MemoryRequest>& to) {
  while (!from.empty() && to.can_push()) to.push(from.pop());
}

void CimUnit::act(Cycle now) {
  now_ = now;
  if (!busy_) return;
  const CimTask& cim = std::get<CimTask>(task_->work);
  if (accelerator_.ready() && next_command_ < cim.commands.size()) accelerator_.submit(cim.commands[next_command_++]);
  accelerator_.tick(now);
  bridge(accelerator_.sram_requests(), *sram_.requests);
  bridge(accelerator_.dma_requests(), *dma_.requests);
}

void CimUnit::commit() {
  for (const MemoryDelivery& d : *sram_.deliveries) accelerator_.deliver_sram(d);
  for (const MemoryDelivery& d : *dma_.deliveries) accelerator_.deliver_dma(d);
  accelerator_.commit(now_);
  if (!busy_) return;
  const CimTask& cim = std::get<CimTask>(task_->work);
  if (next_command_ >= cim.commands.size() && accelerator_.ready() &&
      accelerator_.records().size() - records_before_ >= cim.commands.size()) {
    for (size_t i = records_before_; i < accelerator_.records().size(); ++i) {
      const CimCommandRecord& r = accelerator_.records()[i];
      record_.compute_cycles += r.compute_cycles;
      record_.stalls.memory += r.stalls.memory;
      record_.stalls.weight_programming += r.stalls.weight_programming;
      record_.stalls.back_pressure += r.stalls.back_pressure;
      record_.actions += r.actions;
    }
    record_.end = now_ + 1;
    busy_ = false;
  }
}

Cycle CimUnit::next_event_cycle(Cycle now) const { return busy_ ? now + 1 : kNoEventCycle; }

}  // namespace h4h::cyc
