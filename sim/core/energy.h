#pragma once
// Action counts and the one place where energy = counts x the energy table.
// Both evaluators (analytical and SystemC) report ActionCounts; neither computes energy itself.
#include <cstdint>

#include "sim/core/hardware.h"

namespace h4h {

struct ActionCounts {
  int64_t npu_macs = 0;
  int64_t npu_elementwise_ops = 0;  // output-unit element operations (elementwise, pooling, LUT)
  int64_t cim_macs = 0;
  int64_t cim_cu_ops = 0;           // partial sums accumulated / requantised by compute units
  int64_t sram_read_bytes = 0;
  int64_t sram_write_bytes = 0;
  int64_t external_read_bytes = 0;
  int64_t external_write_bytes = 0;
  int64_t mram_read_bits = 0;       // read-back verify after programming
  int64_t mram_write_bits = 0;      // weight (re)programming

  ActionCounts& operator+=(const ActionCounts& o);
};

struct EnergyBreakdown {
  double mac_pj = 0;          // NPU and CIM MAC datapaths
  double elementwise_pj = 0;  // NPU output unit and CIM compute units
  double sram_pj = 0;
  double external_pj = 0;
  double mram_read_pj = 0;
  double mram_write_pj = 0;
  double total_pj() const { return mac_pj + elementwise_pj + sram_pj + external_pj + mram_read_pj + mram_write_pj; }
  EnergyBreakdown& operator+=(const EnergyBreakdown& o);
};

EnergyBreakdown dynamic_energy(const ActionCounts& counts, const EnergyTable& table);

// Static energy of the whole system over `cycles` at the spec's clock, in pJ.
double static_energy_pj(const HardwareSpec& hw, int64_t cycles);

}  // namespace h4h
