#include "nas/cli/estimate_view.h"

#include <fmt/format.h>

#include "nas/cli/table.h"

namespace h4h {

std::string render_report_table(const CostReport& r, const Workload& w, const HardwareSpec& hw, const Mapping& mapping) {
  TextTable table({"layer", "op", "unit", "MACs", "compute cyc", "cycles", "start", "end", "energy nJ", "util %"});
  for (const LayerCost& c : r.layers) {
    const Layer& l = w.layers[c.layer];
    std::string unit = placement_name(c.placement);
    if (c.placement.split()) unit += fmt::format(" ({:.0f}% npu)", 100 * c.placement.npu_fraction);
    table.add_row({l.name, layer_op_name(l), unit, group_digits(c.macs), group_digits(c.compute_cycles),
                   group_digits(c.cycles), group_digits(c.start_cycle), group_digits(c.end_cycle),
                   fmt::format("{:.2f}", c.energy.total_pj() / 1e3), fmt::format("{:.1f}", 100 * c.utilization)});
  }
  const double hz = hw.clock_hz();
  std::string out = fmt::format("{} on {} ({} evaluator, mapping {})\n", w.name, hw.name, r.evaluator, mapping.schema);
  out += table.render();
  const EnergyBreakdown& e = r.energy;
  out += fmt::format("total: {} cycles = {:.4f} ms at {} MHz; {:.2f} uJ; {} MACs\n", group_digits(r.total_cycles),
                     double(r.total_cycles) / hz * 1e3, hw.clock_mhz, r.energy_pj() / 1e6, short_number(double(r.macs())));
  out += fmt::format("energy uJ: mac {:.2f}, elementwise {:.2f}, sram {:.2f}, external {:.2f}, mram write {:.2f}, "
                     "mram read {:.2f}, static {:.2f}\n",
                     e.mac_pj / 1e6, e.elementwise_pj / 1e6, e.sram_pj / 1e6, e.external_pj / 1e6, e.mram_write_pj / 1e6,
                     e.mram_read_pj / 1e6, r.static_energy_pj / 1e6);
  auto pct = [&](int64_t busy) { return r.total_cycles ? 100.0 * double(busy) / double(r.total_cycles) : 0.0; };
  out += fmt::format("busy: npu {} cycles ({:.1f}%), cim {} cycles ({:.1f}%)\n", group_digits(r.npu_busy_cycles),
                     pct(r.npu_busy_cycles), group_digits(r.cim_busy_cycles), pct(r.cim_busy_cycles));
  return out;
}

}  // namespace h4h
