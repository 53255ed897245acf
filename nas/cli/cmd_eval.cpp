// h4h eval --checkpoint FILE --arch largest|smallest|random:N|FILE.json [--split val|test] [--hw FILE]
//          [--mapping SCHEMA|FILE] [--json]
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/space/arch_workload.h"
#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/table.h"
#include "nas/cli/train_plugin.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"

namespace h4h {

namespace {

using nlohmann::json;

// Adds the estimator's latency and energy (with the chosen mapping) to each result.
void add_hardware_costs(json& doc, const EvalOptions& o, const std::vector<std::string>& sets) {
  const HardwareSpec hw = resolve_hardware(o.hw_file, sets);
  const SearchSpace space = train_plugin().read_checkpoint_space(o.checkpoint);
  AnalyticalEvaluator estimator;
  for (json& r : doc["results"]) {
    const ArchConfig arch = arch_from_json(r["arch"], space, o.checkpoint);
    const Workload w = arch_to_workload(arch, space, r["key"].get<std::string>());
    const Mapping mapping = resolve_mapping(o.mapping, w, hw);
    const EvalResult e = estimator.evaluate(w, hw, mapping);
    if (!e.ok) {
      r["hw_error"] = e.reason;
      continue;
    }
    r["latency_ms"] = double(e.report.total_cycles) / hw.clock_hz() * 1e3;
    r["energy_pj"] = e.report.energy_pj();
    r["cycles"] = e.report.total_cycles;
  }
  doc["hw"] = hw.name;
  doc["mapping"] = o.mapping;
}

std::string results_table(const json& doc) {
  const bool hw = doc.contains("hw");
  std::vector<std::string> header{"subnet", "res", "transformers", "MMACs", "params (k)", "top-1 %"};
  if (hw) header.insert(header.end(), {"latency ms", "energy uJ"});
  TextTable t(header);
  for (const json& r : doc["results"]) {
    std::vector<std::string> row{r["key"].get<std::string>(), std::to_string(r["arch"]["resolution"].get<int>()),
                                 std::to_string(r["transformer_blocks"].get<int>()),
                                 fmt::format("{:.2f}", r["macs"].get<double>() / 1e6),
                                 fmt::format("{:.1f}", r["params"].get<double>() / 1e3),
                                 fmt::format("{:.2f}", 100 * r["top1"].get<double>())};
    if (hw) {
      row.push_back(r.contains("latency_ms") ? fmt::format("{:.4f}", r["latency_ms"].get<double>()) : "n/a");
      row.push_back(r.contains("energy_pj") ? fmt::format("{:.2f}", r["energy_pj"].get<double>() / 1e6) : "n/a");
    }
    t.add_row(row);
  }
  return t.render();
}

}  // namespace

void add_eval_command(CLI::App& app, Action& action) {
  auto opt = std::make_shared<EvalOptions>();
  auto sets = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand("eval", "Top-1 of subnets of a trained supernet (after BN recalibration)");
  cmd->add_option("--checkpoint", opt->checkpoint, "a checkpoint written by h4h train (DIR/last.ckpt)")->required();
  cmd->add_option("--arch", opt->arch, "largest | smallest | random:N | ArchConfig JSON file")->capture_default_str();
  cmd->add_option("--split", opt->split, "val (carved from training data) | test (final reporting only)")
      ->capture_default_str();
  cmd->add_option("--hw", opt->hw_file, "hardware YAML: add estimated latency and energy");
  cmd->add_option("--set", *sets, "KEY=VALUE hardware override (repeatable)");
  cmd->add_option("--mapping", opt->mapping, "schema or mapping file for --hw")->capture_default_str();
  cmd->add_option("--data", opt->data_spec, "dataset (default: the checkpoint's)");
  cmd->add_option("--batch-size", opt->batch_size, "evaluation batch")->capture_default_str();
  cmd->add_option("--bn-batches", opt->bn_batches, "training batches for BN recalibration (0: stored statistics)")
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "seed of random:N and of the recalibration batches")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "intra-op threads (0: every core)")->capture_default_str();
  cmd->add_option("--device", opt->device, "cpu | cuda")->capture_default_str();
  cmd->add_flag("--json", *as_json, "print JSON");
  cmd->callback([&action, opt, sets, as_json] {
    action = [opt, sets, as_json] {
      json doc = train_plugin().run_evaluation(*opt);
      if (!opt->hw_file.empty()) add_hardware_costs(doc, *opt, *sets);
      if (*as_json) {
        std::cout << doc.dump(1) << "\n";
      } else {
        std::cout << fmt::format("{} at step {}/{}: top-1 on the {} split ({} images), BN recalibrated on {} batches\n",
                                 opt->checkpoint, doc["step"].get<int64_t>(), doc["total_steps"].get<int64_t>(),
                                 opt->split, doc["split_size"].get<int64_t>(), opt->bn_batches)
                  << results_table(doc);
      }
      return 0;
    };
  });
}

}  // namespace h4h
