// h4h estimate (--model NAME | --workload FILE) --hw FILE [--set KEY=VALUE ...] [--mapping SCHEMA|FILE]
//              [--json] [--csv FILE]
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
#include "nas/cli/system_options.h"
#include "nas/cli/estimate_view.h"
#include "nas/cli/inputs.h"
#include "sim/core/error.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"

namespace h4h {

void add_estimate_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload, hw, mapping = "rule", objective = "latency", csv;
    std::vector<std::string> sets;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("estimate", "Analytical latency and energy of a network on a system, per layer");
  add_network_options(cmd, opt->model, opt->workload);
  add_system_options(cmd, opt->hw, opt->sets, opt->mapping, opt->objective);
  cmd->add_flag("--json", opt->json, "print the result JSON (docs/formats.md) instead of a table");
  cmd->add_option("--csv", opt->csv, "also write the per-layer CSV to this file");
  cmd->callback([&action, opt] {
    action = [opt] {
      Workload w = resolve_workload(opt->model, opt->workload);
      HardwareSpec hw = resolve_hardware(opt->hw, opt->sets);
      Mapping mapping = resolve_mapping(opt->mapping, w, hw, opt->objective);
      AnalyticalEvaluator evaluator;
      EvalResult result = evaluator.evaluate(w, hw, mapping);
      if (!result.ok) throw InputError("evaluation of " + w.name + " on " + hw.name + " failed: " + result.reason);
      if (!opt->csv.empty()) write_output(opt->csv, report_to_csv(result.report, w));
      if (opt->json) std::cout << report_to_json(result.report, w, hw, mapping).dump(1) << "\n";
      else std::cout << render_report_table(result.report, w, hw, mapping);
      return 0;
    };
  });
}

}  // namespace h4h
