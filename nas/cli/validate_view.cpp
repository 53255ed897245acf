#include "nas/cli/validate_view.h"

#include <fmt/format.h>

#include "nas/cli/table.h"

namespace h4h {

namespace {

std::string pct(double v) { return fmt::format("{:.3f}", v); }
std::string tau(const std::optional<double>& t) { return t ? fmt::format("{:.4f}", *t) : "n/a"; }

}  // namespace

std::string render_summary(const ValidationSummary& s, const std::string& title, const ValidationTargets& targets) {
  std::string out = title + "\n";
  out += fmt::format("{} samples, {} simulated, {} failed; error = (estimated - simulated) / simulated\n\n", s.samples,
                     s.samples - s.failed, s.failed);
  TextTable totals({"", "MAPE %", "max |err| %", "mean err %", "Kendall tau", "target"});
  auto mark = [](bool met) { return met ? "met" : "NOT met"; };
  totals.add_row({"latency", pct(s.latency.mape_pct), pct(s.latency.max_abs_error_pct), pct(s.latency.mean_error_pct),
                  tau(s.latency.kendall_tau),
                  fmt::format("MAPE <= {:g}%: {}", targets.latency_mape_pct, mark(s.latency_met))});
  totals.add_row({"energy", pct(s.energy.mape_pct), pct(s.energy.max_abs_error_pct), pct(s.energy.mean_error_pct),
                  tau(s.energy.kendall_tau),
                  fmt::format("MAPE <= {:g}%: {}", targets.energy_mape_pct, mark(s.energy_met))});
  out += totals.render();
  out += fmt::format("Kendall tau >= {:g} for both: {}\n\n", targets.kendall_tau, mark(s.tau_met));
  out += "per-layer errors by op kind and unit (largest simulated cycles first):\n";
  TextTable ops({"op", "unit", "layers", "cyc MAPE %", "cyc max %", "cyc total %", "energy MAPE %", "energy max %"});
  for (const OpErrors& o : s.ops)
    ops.add_row({o.op, o.unit, std::to_string(o.layers), pct(o.cycles.mape_pct), pct(o.cycles.max_abs_error_pct),
                 pct(o.total_cycles_error_pct), pct(o.energy.mape_pct), pct(o.energy.max_abs_error_pct)});
  return out + ops.render();
}

}  // namespace h4h
