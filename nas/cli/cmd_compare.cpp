// h4h compare (--model NAME | --workload FILE) --hw FILE [--set KEY=VALUE ...] [--mapping SCHEMA|FILE]
//             [--objective latency|energy|edp] [--json] [--top N] [--timeout SECONDS]
//             [--max-sim-events N] [--max-sim-cycles N] [--max-sim-memory-mb MB]
// The analytical estimator (in this process) and the SystemC simulator (in a child process) on the
// same inputs, side by side per layer; compare_view.h defines the errors and the ranking.
// Exit codes: 2 bad input, a candidate the estimator rejects (as `h4h estimate`) or a simulation
// predicted to cross a --max-* limit (sim/blocksim/sim_budget.h; nothing is simulated); 1 a failed
// simulation.
#include <iostream>

#include <nlohmann/json.hpp>

#include "nas/apps/simulate_child.h"
#include "nas/cli/commands.h"
#include "nas/cli/compare_view.h"
#include "nas/cli/inputs.h"
#include "nas/cli/system_options.h"
#include "sim/core/error.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "sim/blocksim/sim_budget.h"

namespace h4h {

void add_compare_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload, hw, mapping = "rule", objective = "latency";
    std::vector<std::string> sets;
    bool json = false;
    size_t top = 0;
    double timeout = 0;
    SimLimits limits;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("compare", "Estimator vs SystemC simulator per layer: cycles, energy, action counts");
  add_network_options(cmd, opt->model, opt->workload);
  add_system_options(cmd, opt->hw, opt->sets, opt->mapping, opt->objective);
  cmd->add_flag("--json", opt->json, "print the comparison as JSON");
  cmd->add_option("--top", opt->top, "show only the N worst layers (0: all)")->capture_default_str();
  cmd->add_option("--timeout", opt->timeout, "give up on the simulation after this many seconds (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  add_sim_limit_options(cmd, opt->limits, false);
  cmd->callback([&action, opt] {
    action = [opt] {
      Workload w = resolve_workload(opt->model, opt->workload);
      HardwareSpec hw = resolve_hardware(opt->hw, opt->sets);
      Mapping mapping = resolve_mapping(opt->mapping, w, hw, opt->objective);
      AnalyticalEvaluator estimator;
      EvalResult estimated = estimator.evaluate(w, hw, mapping);
      if (!estimated.ok)
        throw InputError("evaluation of " + w.name + " on " + hw.name + " failed: " + estimated.reason);
      require_sim_budget("compare", w, hw, mapping, opt->limits, false);
      const SimulationOutcome sim = simulate_in_child(w, hw, mapping, false, opt->timeout, opt->limits.fidelity);
      if (!sim.ok) {
        std::cerr << "h4h: simulation of " << w.name << " on " << hw.name << " failed: " << sim.reason << "\n";
        return 1;
      }
      const Comparison c = compare_reports(estimated.report, sim.report, w, hw);
      if (opt->json) std::cout << comparison_to_json(c, w, hw, mapping, opt->top).dump(1) << "\n";
      else std::cout << render_comparison_table(c, w, hw, mapping, opt->top);
      return 0;
    };
  });
}

}  // namespace h4h
