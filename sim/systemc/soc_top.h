#pragma once
// SocTop: the clocked system. One clock; each cycle has two phases:
//  - rising edge: every process acts once — the units' processes (ClockedUnit::processes(), each
//    its own SystemC method process), the shared SRAM's arbitration and the external memory's bus;
//  - falling edge: one end-of-cycle process commits every unit, then the memories (fixed order), then
//    the controller starts the tasks that may start next cycle, samples the trace counters and
//    stops the simulation when every task has finished.
// Processes communicate only through registered state, so their order within the rising edge does
// not matter. The clock runs while anything can change; when every unit waits on a memory event and
// the memories know the cycle of their next event, the cycles in between (in which provably nothing
// changes) are not clocked (they still count as cycles).
//
// Ports: the NPU has an SRAM port of npu.sram_bytes_per_cycle and a DMA channel of
// npu.external_bytes_per_cycle; the CIM an SRAM port of cim.sram_bytes_per_cycle and a DMA channel
// of external.bytes_per_cycle. Arbitration order for fixed priority: NPU, CIM. DMA channels share the
// external memory's bus (external.bytes_per_cycle, external.latency_cycles per burst) with bursts of
// external.burst_bytes, at most external.max_outstanding in flight per channel.
#include <memory>
#include <vector>

#include <systemc>

#include "sim/core/hardware.h"
#include "sim/core/trace.h"
#include "sim/systemc/clocked_unit.h"
#include "sim/systemc/memory/dma_channel.h"
#include "sim/systemc/memory/external_memory.h"
#include "sim/systemc/memory/shared_sram.h"
#include "sim/systemc/program.h"

namespace h4h::cyc {

struct SimulationOptions {
  std::string sram_trace_dir;   // systolic layers' SCALE-Sim traces (empty: none)
  bool record_trace = false;    // Chrome-trace spans and per-bank counters
  int64_t counter_window_cycles = 1024;  // per-bank counters: bytes per this many cycles
  int64_t max_cycles = 0;       // 0: no limit; else the run fails when the clock passes it
};

// What one task measured, memories' bytes included.
struct TaskResult {
  TaskRecord record;
  int64_t dependency_stall = 0;  // cycles the task waited for producers beyond its unit's previous task
  ActionCounts memory_actions;   // SRAM and external bytes through its unit's ports while it ran
};

struct SimulationResult {
  bool ok = false;
  std::string reason;
  std::vector<TaskResult> tasks;
  int64_t total_cycles = 0;
  int64_t clocked_cycles = 0;   // cycles the clock actually ran (the rest were skipped)
  std::vector<SramBankCounters> banks;
};

class SocTop : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(SocTop);
  SocTop(sc_core::sc_module_name name, const HardwareSpec& hw, const Program& program, const SimulationOptions& options,
         Trace* trace);
  SimulationResult result() const;

 private:
  void clock_thread();
  void memories_act();
  void end_of_cycle();
  void dispatch(Cycle next);
  void sample_trace(Cycle now);
  ActionCounts port_bytes(Unit unit) const;
  int64_t conflict_cycles(Unit unit) const;

  const HardwareSpec& hw_;
  const Program& program_;
  SimulationOptions options_;
  Trace* trace_;
  sc_core::sc_event posedge_, negedge_;
  Cycle now_ = 0;
  int64_t clocked_ = 0;
  SharedSram sram_;
  ExternalMemory external_;
  int npu_port_ = 0, cim_port_ = -1, npu_dma_ = 0, cim_dma_ = -1;
  std::unique_ptr<ClockedUnit> npu_, cim_;
  std::vector<int> unit_tasks_[2];   // task indices per unit, in order
  size_t unit_next_[2] = {0, 0};
  int unit_current_[2] = {-1, -1};
  Cycle unit_free_since_[2] = {0, 0};
  ActionCounts unit_bytes_at_start_[2];
  int64_t unit_conflicts_at_start_[2] = {0, 0};
  std::vector<bool> finished_;
  size_t finished_count_ = 0;
  std::vector<TaskResult> results_;
  bool failed_ = false;
  std::string reason_;
  std::vector<int64_t> bank_bytes_window_;
};

// Elaborates the system and runs the program to its end. SystemC elaborates once per process: a
// second call in one process fails with a reason (run each simulation in a child process).
SimulationResult simulate_program(const Program& program, const HardwareSpec& hw, const SimulationOptions& options,
                                  Trace* trace);

}  // namespace h4h::cyc
