// h4h estimate (--model NAME | --workload FILE) --hw FILE [--set KEY=VALUE ...] [--mapping SCHEMA|FILE]
//              [--json] [--csv FILE]
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
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
  cmd->add_option("--model", opt->model, "zoo model name (see `h4h model list`)");
  cmd->add_option("--workload", opt->workload, "workload JSON file");
  cmd->add_option("--hw", opt->hw, "hardware YAML (hwconfigs/*.yaml)")->required();
  cmd->add_option("--set", opt->sets, "override a hardware key, e.g. --set cim.macros=8 (repeatable)");
  cmd->add_option("--mapping", opt->mapping, "npu-only | cim-only | rule | optimal | optimal-concurrent | mapping JSON file")
      ->capture_default_str();
  cmd->add_option("--objective", opt->objective, "what the optimal schemas minimise: latency | energy | edp")
      ->capture_default_str()
      ->check(CLI::IsMember({"latency", "energy", "edp"}));
  cmd->add_flag("--json", opt->json, "print the result JSON (DESIGN.md) instead of a table");
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
