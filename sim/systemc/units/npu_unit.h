#pragma once
// NpuUnit: the NPU as a ClockedUnit. It executes one NpuTask at a time with the datapath its
// command names: the systolic array (SystolicExecutor), the vector path (VectorExecutor) or the
// Ethos-U55 datapath (EthosU55Datapath, its commands one after another). Its memory traffic goes
// through the NPU's SRAM port and its DMA channel to external memory; requests of the U55 datapath
// are moved to the port their target names (one register stage: the NPU's bus interface).
#include <memory>
#include <string>

#include "sim/systemc/clocked_unit.h"
#include "sim/systemc/npu/ethos_u55/u55_datapath.h"
#include "sim/systemc/units/systolic_executor.h"
#include "sim/systemc/units/vector_executor.h"

namespace h4h::cyc {

class NpuUnit final : public ClockedUnit {
 public:
  // With `sram_trace_dir` non-empty, systolic layers write SCALE-Sim traces to DIR/<task name>/.
  NpuUnit(const NpuSpec& npu, NpuPorts ports, std::string sram_trace_dir);
  std::vector<UnitProcess> processes() override;
  void start(const Task& task, Cycle first_cycle) override;
  void commit() override;
  bool busy() const override { return busy_; }
  TaskRecord record() const override { return record_; }
  Cycle next_event_cycle(Cycle now) const override;

 private:
  enum class Kind { None, Systolic, Vector, U55 };
  void act(Cycle now);
  void finish_if_done(Cycle now);
  void bridge_u55_requests();

  NpuSpec npu_;
  NpuPorts ports_;
  std::string trace_dir_;
  SystolicExecutor systolic_;
  VectorExecutor vector_;
  EthosU55Datapath u55_;
  std::unique_ptr<ScalesimTraceWriter> trace_;
  const Task* task_ = nullptr;
  Kind kind_ = Kind::None;
  size_t u55_next_ = 0;      // next U55 command of the task
  bool u55_running_ = false;
  Cycle u55_started_ = 0;
  bool busy_ = false;
  bool finished_ = false;    // the task's datapath is done (set in act, applied in commit)
  Cycle now_ = 0;
  TaskRecord record_;
};

}  // namespace h4h::cyc
