#pragma once
// ClockedUnit: one compute unit of the system (the NPU or the CIM) as the SoC drives it: it
// executes one task of its command stream at a time, as processes that act once per clock cycle.
//
// Contract (the SoC's cycle, soc_top.h):
//  - start(task, t) is called at the end of cycle t - 1 (after every commit), when the unit is not
//    busy; the unit's processes begin acting in cycle t.
//  - In each cycle every process of processes() is called once with the cycle number, in any order;
//    processes talk to each other and to the memories only through registered state (RegisteredQueue,
//    a memory port's requests / deliveries), so their order within a cycle does not matter.
//  - commit() is called once at the end of every cycle, after every process and memory acted.
//  - busy() is read after commit(): false once the task's last output has been accepted by the
//    memory; then record() gives the finished task's record. A unit never finishes a task in the
//    cycle it starts.
//  - next_event_cycle(now): asked after commit() of cycle `now`; the first cycle > now in which the
//    unit may change state without a memory delivery (kNoEvent: only a delivery can wake it; now + 1
//    whenever it is unsure). Used only to skip cycles in which nothing can change.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/cost_report.h"
#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/program.h"

namespace h4h::cyc {

constexpr Cycle kNoEventCycle = INT64_MAX;

// What a unit measured while executing one task.
struct TaskRecord {
  Cycle start = 0, end = 0;       // first cycle it acted, cycle after its last
  int64_t compute_cycles = 0;     // cycles the task takes when memory never stalls it (unit-defined, measured)
  StallCycles stalls;             // by cause, as the unit's processes counted them (not dependency)
  ActionCounts actions;           // datapath actions (MACs, element ops, MRAM bits); memories count bytes
};

struct UnitProcess {
  std::string name;
  std::function<void(Cycle)> act;
};

class ClockedUnit {
 public:
  virtual ~ClockedUnit() = default;
  virtual std::vector<UnitProcess> processes() = 0;
  virtual void start(const Task& task, Cycle first_cycle) = 0;
  virtual void commit() = 0;
  virtual bool busy() const = 0;
  virtual TaskRecord record() const = 0;
  virtual Cycle next_event_cycle(Cycle now) const = 0;
};

}  // namespace h4h::cyc
