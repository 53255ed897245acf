// Dynamic processes (sc_spawn): one method process per unit process.
#define SC_INCLUDE_DYNAMIC_PROCESSES
#include "sim/systemc/soc_top.h"

#include <algorithm>
#include <cstdlib>

#include "sim/systemc/units/cim_unit.h"
#include "sim/systemc/units/npu_unit.h"

namespace h4h::cyc {

namespace {

// Requests a unit may have waiting at its SRAM port or DMA channel (the bus interface's queue).
constexpr int kPortQueueEntries = 4;

SharedSramConfig sram_config(const HardwareSpec& hw) {
  SharedSramConfig c;
  c.size_bytes = hw.sram.size_kb * 1024;
  c.banks = hw.sram.banks;
  c.bytes_per_cycle_per_bank = hw.sram.bytes_per_cycle_per_bank;
  c.interleave_bytes = hw.sram.interleave_bytes;
  c.latency_cycles = std::max(1, hw.sram.latency_cycles);
  c.arbitration = hw.sram.arbitration == h4h::SramArbitration::RoundRobin ? SramArbitration::RoundRobin
                                                                          : SramArbitration::FixedPriority;
  return c;
}

ExternalMemoryConfig external_config(const HardwareSpec& hw) {
  ExternalMemoryConfig c;
  c.bytes_per_cycle = hw.external.bytes_per_cycle;
  c.latency_cycles = hw.external.latency_cycles;
  return c;
}

DmaChannelConfig dma_config(const std::string& name, double port_bytes_per_cycle, const HardwareSpec& hw) {
  DmaChannelConfig c;
  c.name = name;
  c.port_bytes_per_cycle = port_bytes_per_cycle;
  c.queue_entries = kPortQueueEntries;
  c.burst_bytes = hw.external.burst_bytes;
  c.max_outstanding = hw.external.max_outstanding;
  return c;
}

int unit_index(Unit u) { return u == Unit::Npu ? 0 : 1; }

}  // namespace

SocTop::SocTop(sc_core::sc_module_name name, const HardwareSpec& hw, const Program& program,
               const SimulationOptions& options, Trace* trace)
    : sc_core::sc_module(name),
      hw_(hw),
      program_(program),
      options_(options),
      trace_(trace),
      sram_(sram_config(hw)),
      external_(external_config(hw)) {
  npu_port_ = sram_.add_port("npu", hw.npu.sram_bytes_per_cycle, kPortQueueEntries);
  npu_dma_ = external_.add_channel(dma_config("dma.npu", hw.npu.external_bytes_per_cycle, hw));
  NpuPorts npu_ports;
  npu_ports.sram = {&sram_.requests(npu_port_), &sram_.deliveries(npu_port_)};
  npu_ports.external = {&external_.channel(npu_dma_).commands(), &external_.channel(npu_dma_).deliveries()};
  npu_ = std::make_unique<NpuUnit>(hw.npu, npu_ports, options.sram_trace_dir);
  if (hw.cim.present) {
    cim_port_ = sram_.add_port("cim", hw.cim.sram_bytes_per_cycle, kPortQueueEntries);
    cim_dma_ = external_.add_channel(dma_config("dma.cim", hw.external.bytes_per_cycle, hw));
    cim_ = std::make_unique<CimUnit>(hw, MemoryPortRef{&sram_.requests(cim_port_), &sram_.deliveries(cim_port_)},
                                     MemoryPortRef{&external_.channel(cim_dma_).commands(), &external_.channel(cim_dma_).deliveries()});
  }
  for (size_t t = 0; t < program.tasks.size(); ++t) unit_tasks_[unit_index(program.tasks[t].unit)].push_back(int(t));
  finished_.assign(program.tasks.size(), false);
  results_.assign(program.tasks.size(), TaskResult{});
  bank_bytes_window_.assign(size_t(hw.sram.banks), 0);

  // Rising edge: every unit process and the memories act.
  for (ClockedUnit* unit : {npu_.get(), cim_.get()}) {
    if (!unit) continue;
    for (UnitProcess& p : unit->processes()) {
      sc_core::sc_spawn_options opts;
      opts.spawn_method();
      opts.dont_initialize();
      opts.set_sensitivity(&posedge_);
      auto act = p.act;
      sc_core::sc_spawn([this, act] { act(now_); }, sc_core::sc_gen_unique_name(p.name.c_str()), &opts);
    }
  }
  SC_METHOD(memories_act);
  sensitive << posedge_;
  dont_initialize();
  SC_METHOD(end_of_cycle);
  sensitive << negedge_;
  dont_initialize();
  SC_THREAD(clock_thread);
  dispatch(0);
}

void SocTop::clock_thread() {
  const sc_core::sc_time half(0.5, sc_core::SC_NS);
  if (program_.tasks.empty()) {
    sc_core::sc_stop();
    return;
  }
  for (;;) {
    posedge_.notify(sc_core::SC_ZERO_TIME);
    wait(half);
    negedge_.notify(sc_core::SC_ZERO_TIME);
    wait(half);
    ++clocked_;
    if (failed_ || finished_count_ == program_.tasks.size()) {
      sc_core::sc_stop();
      return;
    }
    ++now_;
  }
}

void SocTop::memories_act() {
  sram_.evaluate(now_);
  external_.evaluate(now_);
}

ActionCounts SocTop::port_bytes(Unit unit) const {
  ActionCounts a;
  const int port = unit == Unit::Npu ? npu_port_ : cim_port_;
  const int dma = unit == Unit::Npu ? npu_dma_ : cim_dma_;
  if (port >= 0) {
    a.sram_read_bytes = sram_.port_counters(port).read_bytes;
    a.sram_write_bytes = sram_.port_counters(port).write_bytes;
  }
  if (dma >= 0) {
    a.external_read_bytes = external_.channel(dma).counters().bytes_read;
    a.external_write_bytes = external_.channel(dma).counters().bytes_written;
  }
  return a;
}

int64_t SocTop::conflict_cycles(Unit unit) const {
  const int port = unit == Unit::Npu ? npu_port_ : cim_port_;
  return port >= 0 ? sram_.port_counters(port).bank_conflict_stall_cycles : 0;
}

void SocTop::end_of_cycle() {
  try {
    if (npu_) npu_->commit();
    if (cim_) cim_->commit();
    sram_.commit();
    external_.commit();
    for (Unit u : {Unit::Npu, Unit::Cim}) {
      const int ui = unit_index(u);
      ClockedUnit* unit = u == Unit::Npu ? npu_.get() : cim_.get();
      const int t = unit_current_[ui];
      if (!unit || t < 0 || unit->busy()) continue;
      TaskResult& r = results_[size_t(t)];
      r.record = unit->record();
      ActionCounts bytes = port_bytes(u);
      ActionCounts before = unit_bytes_at_start_[ui];
      r.memory_actions.sram_read_bytes = bytes.sram_read_bytes - before.sram_read_bytes;
      r.memory_actions.sram_write_bytes = bytes.sram_write_bytes - before.sram_write_bytes;
      r.memory_actions.external_read_bytes = bytes.external_read_bytes - before.external_read_bytes;
      r.memory_actions.external_write_bytes = bytes.external_write_bytes - before.external_write_bytes;
      // Bank conflicts are the port's: cycles it had a beat ready and another port held the bank.
      r.record.stalls.bank_conflict = conflict_cycles(u) - unit_conflicts_at_start_[ui];
      finished_[size_t(t)] = true;
      ++finished_count_;
      unit_current_[ui] = -1;
      unit_free_since_[ui] = r.record.end;
      if (trace_) {
        const Task& task = program_.tasks[size_t(t)];
        trace_->spans.push_back({u == Unit::Npu ? "npu" : "cim", task.name, "layer", r.record.start, r.record.end, {}});
      }
    }
    if (trace_) sample_trace(now_);
    if (options_.max_cycles > 0 && now_ + 1 >= options_.max_cycles && finished_count_ < program_.tasks.size()) {
      failed_ = true;
      reason_ = "the simulation passed its limit of " + std::to_string(options_.max_cycles) + " cycles";
      return;
    }
    dispatch(now_ + 1);
  } catch (const std::exception& e) {
    failed_ = true;
    reason_ = std::string("simulation failed: ") + e.what();
  }
}

void SocTop::dispatch(Cycle next) {
  for (Unit u : {Unit::Npu, Unit::Cim}) {
    const int ui = unit_index(u);
    ClockedUnit* unit = u == Unit::Npu ? npu_.get() : cim_.get();
    if (!unit || unit_current_[ui] >= 0 || unit_next_[ui] >= unit_tasks_[ui].size()) continue;
    const int t = unit_tasks_[ui][unit_next_[ui]];
    const Task& task = program_.tasks[size_t(t)];
    bool ready = true;
    for (int dep : task.after) ready = ready && finished_[size_t(dep)];
    if (!ready) continue;
    ++unit_next_[ui];
    unit_current_[ui] = t;
    results_[size_t(t)].dependency_stall = next - unit_free_since_[ui];
    unit_bytes_at_start_[ui] = port_bytes(u);
    unit_conflicts_at_start_[ui] = conflict_cycles(u);
    unit->start(task, next);
  }
}

void SocTop::sample_trace(Cycle now) {
  for (int b = 0; b < int(bank_bytes_window_.size()); ++b) {
    const SramBankCycle& c = sram_.bank_activity()[size_t(b)];
    bank_bytes_window_[size_t(b)] += c.read_bytes + c.write_bytes;
  }
  // Each counter sample: the bank's bytes per cycle over the window that starts at its cycle.
  const int64_t window = std::max<int64_t>(1, options_.counter_window_cycles);
  if ((now + 1) % window != 0 && finished_count_ < program_.tasks.size()) return;
  const int64_t first = now / window * window;
  for (int b = 0; b < int(bank_bytes_window_.size()); ++b) {
    trace_->counters.push_back({"sram.bank" + std::to_string(b), first,
                                double(bank_bytes_window_[size_t(b)]) / double(now + 1 - first)});
    bank_bytes_window_[size_t(b)] = 0;
  }
}

SimulationResult SocTop::result() const {
  SimulationResult r;
  r.ok = !failed_ && finished_count_ == program_.tasks.size();
  r.reason = failed_ ? reason_ : r.ok ? "" : "the simulation stopped before every task finished (deadlock)";
  r.tasks = results_;
  for (const TaskResult& t : results_) r.total_cycles = std::max(r.total_cycles, t.record.end);
  r.clocked_cycles = clocked_;
  for (int b = 0; b < sram_.config().banks; ++b) r.banks.push_back(sram_.bank_counters(b));
  return r;
}

SimulationResult simulate_program(const Program& program, const HardwareSpec& hw, const SimulationOptions& options,
                                  Trace* trace) {
  static bool elaborated = false;
  SimulationResult failed;
  if (elaborated) {
    failed.reason = "the SystemC simulator runs once per process (SystemC elaborates once); run each simulation in a "
                    "child process (sim/core/subprocess.h)";
    return failed;
  }
  elaborated = true;
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  sc_core::sc_report_handler::set_handler([](const sc_core::sc_report& report, const sc_core::sc_actions&) {
    if (report.get_severity() >= sc_core::SC_ERROR) throw report;
  });
  try {
    // Lives until the process ends: SystemC keeps the module hierarchy for the whole run.
    auto* top = new SocTop("soc", hw, program, options, trace);
    sc_core::sc_start();
    return top->result();
  } catch (const sc_core::sc_report& e) {
    failed.reason = std::string("SystemC: ") + e.what();
  } catch (const std::exception& e) {
    failed.reason = std::string("simulation failed: ") + e.what();
  }
  return failed;
}

}  // namespace h4h::cyc
