#pragma once
// CimUnit: the CIM accelerator (sim/systemc/cim, its macros, compute units, fetcher, writer and
// programmer as clocked processes) as a ClockedUnit: it submits a CimTask's commands one after
// another and moves the accelerator's SRAM and DMA requests onto the CIM's SRAM port and DMA channel
// (one register stage: the CIM's bus interface), and their deliveries back.
#include "sim/systemc/cim/cim_accelerator.h"
#include "sim/systemc/clocked_unit.h"
#include "sim/systemc/units/byte_stream.h"

namespace h4h::cyc {

class CimUnit final : public ClockedUnit {
 public:
  CimUnit(const HardwareSpec& hw, MemoryPortRef sram, MemoryPortRef dma);
  std::vector<UnitProcess> processes() override;
  void start(const Task& task, Cycle first_cycle) override;
  void commit() override;
  bool busy() const override { return busy_; }
  TaskRecord record() const override { return record_; }
  Cycle next_event_cycle(Cycle now) const override;

 private:
  void act(Cycle now);
  static void bridge(RegisteredQueue<MemoryRequest>& from, RegisteredQueue<MemoryRequest>& to);

  CimAccelerator accelerator_;
  MemoryPortRef sram_, dma_;
  const Task* task_ = nullptr;
  size_t next_command_ = 0;
  size_t records_before_ = 0;
  bool busy_ = false;
  Cycle now_ = 0;
  TaskRecord record_;
};

}  // namespace h4h::cyc
