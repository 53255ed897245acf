#include "sim/core/energy.h"

namespace h4h {

ActionCounts& ActionCounts::operator+=(const ActionCounts& o) {
  for (const ActionKind& a : kActionKinds) this->*a.count += o.*a.count;
  return *this;
}

double EnergyBreakdown::total_pj() const {
  double total = 0;
  for (const EnergyComponent& c : kEnergyComponents) total += this->*c.pj;
  return total;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& o) {
  for (const EnergyComponent& c : kEnergyComponents) this->*c.pj += o.*c.pj;
  return *this;
}

EnergyBreakdown dynamic_energy(const ActionCounts& counts, const EnergyTable& table) {
  EnergyBreakdown e;
  for (const ActionKind& a : kActionKinds) e.*a.component += double(counts.*a.count) * a.pj_per_action(table);
  return e;
}

double static_energy_pj(const HardwareSpec& hw, int64_t cycles) {
  // mW x s = mJ = 1e9 pJ
  return hw.static_power.total_mw() * (double(cycles) / hw.clock_hz()) * 1e9;
}

}  // namespace h4h
