// h4h simulate (--model NAME | --workload FILE) --hw FILE [--set KEY=VALUE ...] [--mapping SCHEMA|FILE]
//              [--objective latency|energy|edp] [--json] [--trace FILE.json] [--csv FILE] [--timeout SECONDS]
//              [--max-sim-events N] [--max-sim-cycles N] [--max-sim-memory-mb MB] [--max-trace-mb MB]
// The cycle-level SystemC simulator on one (workload, hardware, mapping). Inputs are resolved in
// this process (bad input: exit 2 before anything is simulated), and so is the simulation's
// predicted cost: one over a --max-* limit (sim/blocksim/sim_budget.h) is refused with exit 2,
// naming the limit, the predicted value and the flag that raises it. The simulation runs in a
// child process. A failed simulation (crash, timeout, a candidate the simulator rejects) exits 1
// with the reason on stderr and writes no file. Outputs are written atomically.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/apps/simulate_child.h"
#include "nas/cli/commands.h"
#include "nas/cli/estimate_view.h"
#include "nas/cli/inputs.h"
#include "nas/cli/system_options.h"
#include "nas/cli/table.h"
#include "sim/core/error.h"
#include "sim/map/schemas.h"
#include "sim/blocksim/sim_budget.h"

namespace h4h {

namespace {

// "stalls: memory 1,234, bank conflict 0, dma 0, back-pressure 0, dependency 56, weight programming 0 cycles (summed
// over layers)"
std::string render_stall_footer(const CostReport& r) {
  StallCycles s;
  for (const LayerCost& c : r.layers) {
    s.memory += c.stalls.memory;
    s.bank_conflict += c.stalls.bank_conflict;
    s.dependency += c.stalls.dependency;
    s.weight_programming += c.stalls.weight_programming;
    s.dma += c.stalls.dma;
    s.back_pressure += c.stalls.back_pressure;
  }
  return fmt::format(
      "stalls: memory {}, bank conflict {}, dma {}, back-pressure {}, dependency {}, weight programming {} cycles "
      "(summed over layers)\n",
      group_digits(s.memory), group_digits(s.bank_conflict), group_digits(s.dma), group_digits(s.back_pressure),
      group_digits(s.dependency), group_digits(s.weight_programming));
}

// --sram-trace: the traces are the systolic array's, written by the cycle-level model into a
// directory that exists (or can be made) and is not a file.
void check_sram_trace_request(const std::string& dir, const HardwareSpec& hw, SimFidelity fidelity) {
  if (hw.npu.engine != "systolic")
    throw InputError("--sram-trace " + dir + ": the traces are a systolic array's (SCALE-Sim format); " + hw.name +
                     " has npu.engine " + hw.npu.engine + " (add --set npu.engine=systolic)");
  if (fidelity != SimFidelity::Cycle) throw InputError("--sram-trace needs --fidelity cycle");
  std::error_code ec;
  if (std::filesystem::exists(dir, ec) && !std::filesystem::is_directory(dir, ec))
    throw InputError("--sram-trace " + dir + ": exists and is not a directory");
  std::filesystem::create_directories(dir, ec);
  if (ec) throw InputError("--sram-trace " + dir + ": cannot create the directory: " + ec.message());
}

}  // namespace

void add_simulate_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload, hw, mapping = "rule", objective = "latency", csv, trace, sram_trace;
    std::vector<std::string> sets;
    bool json = false;
    double timeout = 0;
    SimLimits limits;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("simulate", "Cycle-level SystemC simulation of a network on a system, per layer");
  add_network_options(cmd, opt->model, opt->workload);
  add_system_options(cmd, opt->hw, opt->sets, opt->mapping, opt->objective);
  cmd->add_flag("--json", opt->json, "print the result JSON (docs/formats.md) instead of a table");
  cmd->add_option("--trace", opt->trace, "also write the Chrome trace-event JSON (Perfetto) to this file");
  cmd->add_option("--csv", opt->csv, "also write the per-layer CSV to this file");
  cmd->add_option("--sram-trace", opt->sram_trace,
                  "npu.engine systolic, cycle fidelity: write each systolic layer's per-cycle SRAM traces "
                  "(SCALE-Sim v2 format: ifmap_sram_trace.csv, filter_sram_trace.csv, ofmap_sram_trace.csv) into "
                  "DIR/<layer>/");
  cmd->add_option("--timeout", opt->timeout, "give up on the simulation after this many seconds (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  add_sim_limit_options(cmd, opt->limits, true);
  cmd->callback([&action, opt] {
    action = [opt] {
      Workload w = resolve_workload(opt->model, opt->workload);
      HardwareSpec hw = resolve_hardware(opt->hw, opt->sets);
      Mapping mapping = resolve_mapping(opt->mapping, w, hw, opt->objective);
      require_sim_budget("simulate", w, hw, mapping, opt->limits, !opt->trace.empty());
      if (!opt->sram_trace.empty()) check_sram_trace_request(opt->sram_trace, hw, opt->limits.fidelity);
      const SimulationOutcome sim =
          simulate_in_child(w, hw, mapping, !opt->trace.empty(), opt->timeout, opt->limits.fidelity, opt->sram_trace);
      if (!sim.ok) {
        std::cerr << "h4h: simulation of " << w.name << " on " << hw.name << " failed: " << sim.reason << "\n";
        return 1;
      }
      if (!opt->csv.empty()) write_output(opt->csv, report_to_csv(sim.report, w));
      if (!opt->trace.empty()) write_output(opt->trace, sim.trace_json);
      if (opt->json) std::cout << report_to_json(sim.report, w, hw, mapping).dump(1) << "\n";
      else std::cout << render_report_table(sim.report, w, hw, mapping) << render_stall_footer(sim.report);
      return 0;
    };
  });
}

}  // namespace h4h
