#pragma once
// Action counts and the one place where energy = counts x the energy table.
// Both evaluators (analytical and SystemC) report ActionCounts; neither computes energy itself.
#include <cstdint>
#include <iterator>

#include "sim/core/hardware.h"

namespace h4h {

// Every field of ActionCounts and EnergyBreakdown is listed once, in kActionKinds and
// kEnergyComponents below; +=, JSON in and out, comparisons and the energy sum iterate those lists,
// so a new action or component is a new field plus one list entry.
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
  double total_pj() const;    // the components summed in kEnergyComponents order
  EnergyBreakdown& operator+=(const EnergyBreakdown& o);
};

// An energy component: its name in result JSON ("energy_breakdown_pj") and its field.
struct EnergyComponent {
  const char* name;
  double EnergyBreakdown::*pj;
};

inline constexpr EnergyComponent kEnergyComponents[] = {
    {"mac", &EnergyBreakdown::mac_pj},
    {"elementwise", &EnergyBreakdown::elementwise_pj},
    {"sram", &EnergyBreakdown::sram_pj},
    {"external", &EnergyBreakdown::external_pj},
    {"mram_read", &EnergyBreakdown::mram_read_pj},
    {"mram_write", &EnergyBreakdown::mram_write_pj},
};

// An action kind: its name in result JSON ("actions"), its count, the energy component it feeds and
// its energy per action in pJ from the table. Within a component, actions add in list order.
struct ActionKind {
  const char* name;
  int64_t ActionCounts::*count;
  double EnergyBreakdown::*component;
  double (*pj_per_action)(const EnergyTable&);
};

inline constexpr ActionKind kActionKinds[] = {
    {"npu_macs", &ActionCounts::npu_macs, &EnergyBreakdown::mac_pj, [](const EnergyTable& t) { return t.npu_mac_pj(); }},
    {"npu_elementwise_ops", &ActionCounts::npu_elementwise_ops, &EnergyBreakdown::elementwise_pj,
     [](const EnergyTable& t) { return t.npu_elementwise_pj(); }},
    {"cim_macs", &ActionCounts::cim_macs, &EnergyBreakdown::mac_pj, [](const EnergyTable& t) { return t.cim_mac_pj; }},
    {"cim_cu_ops", &ActionCounts::cim_cu_ops, &EnergyBreakdown::elementwise_pj,
     [](const EnergyTable& t) { return t.cim_cu_op_pj(); }},
    {"sram_read_bytes", &ActionCounts::sram_read_bytes, &EnergyBreakdown::sram_pj,
     [](const EnergyTable& t) { return t.sram_read_pj_per_byte; }},
    {"sram_write_bytes", &ActionCounts::sram_write_bytes, &EnergyBreakdown::sram_pj,
     [](const EnergyTable& t) { return t.sram_write_pj_per_byte; }},
    {"external_read_bytes", &ActionCounts::external_read_bytes, &EnergyBreakdown::external_pj,
     [](const EnergyTable& t) { return t.external_read_pj_per_byte; }},
    {"external_write_bytes", &ActionCounts::external_write_bytes, &EnergyBreakdown::external_pj,
     [](const EnergyTable& t) { return t.external_write_pj_per_byte; }},
    {"mram_read_bits", &ActionCounts::mram_read_bits, &EnergyBreakdown::mram_read_pj,
     [](const EnergyTable& t) { return t.mram_read_pj_per_bit; }},
    {"mram_write_bits", &ActionCounts::mram_write_bits, &EnergyBreakdown::mram_write_pj,
     [](const EnergyTable& t) { return t.mram_write_pj_per_bit; }},
};

// A field added to either struct without a list entry fails to compile here.
static_assert(sizeof(ActionCounts) == sizeof(int64_t) * std::size(kActionKinds), "every ActionCounts field is in kActionKinds");
static_assert(sizeof(EnergyBreakdown) == sizeof(double) * std::size(kEnergyComponents),
              "every EnergyBreakdown field is in kEnergyComponents");

EnergyBreakdown dynamic_energy(const ActionCounts& counts, const EnergyTable& table);

// Static energy of the whole system over `cycles` at the spec's clock, in pJ.
double static_energy_pj(const HardwareSpec& hw, int64_t cycles);

}  // namespace h4h
