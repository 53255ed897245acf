#pragma once
// The system: NPU, CIM, shared SRAM, external memory with one DMA channel per unit, and the
// controller. Only instantiates and binds; every timing value comes from the HardwareSpec:
//  - SRAM: sram.banks x sram.bytes_per_cycle_per_bank, sram.latency_cycles; the NPU's port
//    npu.sram_bytes_per_cycle, the CIM's cim.sram_bytes_per_cycle (its input buffer covers
//    sram.latency_cycles at that rate).
//  - External memory: external.bytes_per_cycle, external.latency_cycles; the NPU weight DMA's port
//    npu.external_bytes_per_cycle, the CIM programming DMA's external.bytes_per_cycle; both with
//    external.burst_bytes bursts and external.max_outstanding bursts in flight.
#include <vector>

#include <systemc>

#include "sim/core/hardware.h"
#include "sim/core/trace.h"
#include "sim/blocksim/cim_unit.h"
#include "sim/blocksim/controller.h"
#include "sim/blocksim/dma_channel.h"
#include "sim/blocksim/memory_target.h"
#include "sim/blocksim/npu_unit.h"
#include "sim/blocksim/sim_plan.h"

namespace h4h::blocksim {

class SocTop : public sc_core::sc_module {
 public:
  // `plan`, `records` and `dependency` (one per part) and `trace` (may be null) must outlive it.
  SocTop(sc_core::sc_module_name name, const HardwareSpec& hw, const SimPlan& plan, std::vector<PartRecord>& records,
         std::vector<int64_t>& dependency, Trace* trace);
  void finish_trace();

 private:
  MemoryTarget sram_, external_;
  DmaChannel npu_dma_, cim_dma_;
  NpuUnit npu_;
  CimUnit cim_;
  Controller controller_;
};

}  // namespace h4h::blocksim
