#include "sim/systemc/units/npu_unit.h"

#include <algorithm>
#include <filesystem>

#include "sim/systemc/npu/ethos_u55/u55_standalone.h"

namespace h4h::cyc {

NpuUnit::NpuUnit(const NpuSpec& npu, NpuPorts ports, std::string sram_trace_dir)
    : npu_(npu), ports_(ports), trace_dir_(std::move(sram_trace_dir)), systolic_(npu, ports), vector_(npu, ports) {}

std::vector<UnitProcess> NpuUnit::processes() {
  return {{"npu", [this](Cycle now) { act(now); }}};
}

void NpuUnit::start(const Task& task, Cycle first_cycle) {
  task_ = &task;
  busy_ = true;
  finished_ = false;
  record_ = TaskRecord{};
  record_.start = first_cycle;
  u55_next_ = 0;
  u55_running_ = false;
  const NpuTask& npu = std::get<NpuTask>(task.work);
  if (const auto* s = std::get_if<SystolicCommand>(&npu.body)) {
    kind_ = Kind::Systolic;
    trace_.reset();
    if (!trace_dir_.empty()) {
      const std::string dir = trace_dir_ + "/" + task.name;
      std::filesystem::create_directories(dir);
      trace_ = std::make_unique<ScalesimTraceWriter>(dir);
    }
    systolic_.start(*s, trace_.get());
  } else if (const auto* v = std::get_if<VectorCommand>(&npu.body)) {
    kind_ = Kind::Vector;
    vector_.start(*v);
  } else {
    kind_ = Kind::U55;
  }
}

void NpuUnit::bridge_u55_requests() {
  RegisteredQueue<MemoryRequest>& out = u55_.requests();
  while (!out.empty()) {
    const MemoryRequest& r = out.front();
    RegisteredQueue<MemoryRequest>* to = r.target == MemoryTarget::Sram ? ports_.sram.requests : ports_.external.requests;
    if (!to->can_push()) break;
    to->push(out.pop());
  }
}

void NpuUnit::act(Cycle now) {
  now_ = now;
  if (!busy_ || finished_) return;
  switch (kind_) {
    case Kind::Systolic:
      systolic_.act(now);
      finished_ = systolic_.done();
      break;
    case Kind::Vector:
      vector_.act(now);
      finished_ = vector_.done();
      break;
    case Kind::U55: {
      const auto& commands = std::get<std::vector<U55Command>>(std::get<NpuTask>(task_->work).body);
      if (!u55_running_ && u55_next_ < commands.size()) {
        u55_.start(commands[u55_next_++], now);
        u55_running_ = true;
      }
      if (u55_running_) {
        u55_.tick(now);
        bridge_u55_requests();
      }
      finished_ = !u55_running_ && u55_next_ >= commands.size();
      break;
    }
    case Kind::None:
      finished_ = true;
      break;
  }
}

void NpuUnit::commit() {
  if (!busy_) return;
  // Deliveries of this cycle go to the datapath that asked for them.
  for (const MemoryDelivery& d : *ports_.sram.deliveries) {
    if (kind_ == Kind::Systolic) systolic_.on_delivery(d, false);
    if (kind_ == Kind::Vector) vector_.on_delivery(d);
    if (kind_ == Kind::U55) u55_.deliveries().push(d);
  }
  for (const MemoryDelivery& d : *ports_.external.deliveries) {
    if (kind_ == Kind::Systolic) systolic_.on_delivery(d, true);
    if (kind_ == Kind::U55) u55_.deliveries().push(d);
  }
  if (kind_ == Kind::U55 && u55_running_) {
    u55_.commit();
    if (!u55_.busy()) {
      u55_running_ = false;
      const U55Counters& c = u55_.counters();
      const auto& commands = std::get<std::vector<U55Command>>(std::get<NpuTask>(task_->work).body);
      record_.actions += c.actions;
      // compute_cycles: the command run again alone against an ideal memory (u55_standalone.h).
      record_.compute_cycles += u55_compute_cycles(commands[u55_next_ - 1]);
      record_.stalls.memory += c.stall_of(U55Stall::MacIfm) + c.stall_of(U55Stall::OutputIfm) + c.stall_of(U55Stall::OutputWrite);
      record_.stalls.dma += c.stall_of(U55Stall::MacWeightStream) + c.stall_of(U55Stall::OutputScaleBias);
      record_.stalls.back_pressure += c.stall_of(U55Stall::MacOutput);
      finished_ = u55_next_ >= commands.size();
    }
  }
  if (kind_ == Kind::Systolic && systolic_.done()) finished_ = true;
  if (kind_ == Kind::Vector && vector_.done()) finished_ = true;
  if (finished_) {
    if (kind_ == Kind::Systolic) systolic_.add_to(&record_);
    if (kind_ == Kind::Vector) vector_.add_to(&record_);
    record_.end = now_ + 1;
    busy_ = false;
    kind_ = Kind::None;
    trace_.reset();
  }
}

Cycle NpuUnit::next_event_cycle(Cycle now) const {
  if (!busy_) return kNoEventCycle;
  if (kind_ == Kind::U55 && u55_running_ && u55_.waiting_on_memory() && u55_.requests().empty()) return kNoEventCycle;
  return now + 1;
}

}  // namespace h4h::cyc
