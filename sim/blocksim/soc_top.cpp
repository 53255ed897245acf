#include "sim/blocksim/soc_top.h"

namespace h4h::blocksim {

namespace {

MemoryParams sram_params(const HardwareSpec& hw) {
  MemoryParams p;
  p.kind = MemoryParams::Kind::Sram;
  p.banks = hw.sram.banks;
  p.bytes_per_cycle_per_bank = hw.sram.bytes_per_cycle_per_bank;
  p.latency_cycles = hw.sram.latency_cycles;
  return p;
}

MemoryParams external_params(const HardwareSpec& hw) {
  MemoryParams p;
  p.kind = MemoryParams::Kind::External;
  p.banks = 1;
  p.bytes_per_cycle_per_bank = hw.external.bytes_per_cycle;
  p.latency_cycles = hw.external.latency_cycles;
  return p;
}

}  // namespace

SocTop::SocTop(sc_core::sc_module_name name, const HardwareSpec& hw, const SimPlan& plan,
               std::vector<PartRecord>& records, std::vector<int64_t>& dependency, Trace* trace)
    : sc_core::sc_module(name),
      sram_("sram", sram_params(hw), trace),
      external_("external", external_params(hw), trace),
      npu_dma_("npu_dma", "dma.npu", hw.external.burst_bytes, hw.external.max_outstanding, trace),
      cim_dma_("cim_dma", "dma.cim", hw.external.burst_bytes, hw.external.max_outstanding, trace),
      npu_("npu", hw.npu.sram_burst_bytes, trace),
      cim_("cim", hw.cim, hw.sram.latency_cycles, trace),
      controller_("controller", plan.layers, plan.parts, records, dependency, trace) {
  sram_.bind_port(npu_.sram, hw.npu.sram_bytes_per_cycle);
  sram_.bind_port(cim_.sram, hw.cim.sram_bytes_per_cycle);
  external_.bind_port(npu_dma_.socket, hw.npu.external_bytes_per_cycle);
  external_.bind_port(cim_dma_.socket, hw.external.bytes_per_cycle);
  npu_.weight_dma.bind(npu_dma_);
  cim_.program_dma.bind(cim_dma_);
  controller_.npu.bind(npu_);
  controller_.cim.bind(cim_);
}

void SocTop::finish_trace() {
  sram_.finish_trace();
  external_.finish_trace();
}

}  // namespace h4h::blocksim
