#include "sim/core/energy.h"

namespace h4h {

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  npu_macs += o.npu_macs;
  npu_elementwise_ops += o.npu_elementwise_ops;
  cim_macs += o.cim_macs;
  cim_cu_ops += o.cim_cu_ops;
  sram_read_bytes += o.sram_read_bytes;
  sram_write_bytes += o.sram_write_bytes;
  external_read_bytes += o.external_read_bytes;
  external_write_bytes += o.external_write_bytes;
  mram_read_bits += o.mram_read_bits;
  mram_write_bits += o.mram_write_bits;
  return *this;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  mac_pj += o.mac_pj;
  elementwise_pj += o.elementwise_pj;
  sram_pj += o.sram_pj;
  external_pj += o.external_pj;
  mram_read_pj += o.mram_read_pj;
  mram_write_pj += o.mram_write_pj;
  return *this;
}

EnergyBreakdown dynamic_energy(const ActionCounts& c, const EnergyTable& t) {
  EnergyBreakdown e;
  e.mac_pj = double(c.npu_macs) * t.npu_mac_pj() + double(c.cim_macs) * t.cim_mac_pj;
  e.elementwise_pj = double(c.npu_elementwise_ops) * t.npu_elementwise_pj() + double(c.cim_cu_ops) * t.cim_cu_op_pj();
  e.sram_pj = double(c.sram_read_bytes) * t.sram_read_pj_per_byte + double(c.sram_write_bytes) * t.sram_write_pj_per_byte;
  e.external_pj = double(c.external_read_bytes) * t.external_read_pj_per_byte +
                  double(c.external_write_bytes) * t.external_write_pj_per_byte;
  e.mram_read_pj = double(c.mram_read_bits) * t.mram_read_pj_per_bit;
  e.mram_write_pj = double(c.mram_write_bits) * t.mram_write_pj_per_bit;
  return e;
}

double static_energy_pj(const HardwareSpec& hw, int64_t cycles) {
  // mW x s = mJ = 1e9 pJ
  return hw.static_power.total_mw() * (double(cycles) / hw.clock_hz()) * 1e9;
}

}  // namespace h4h
