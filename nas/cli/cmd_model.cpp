// h4h model list | show NAME|FILE [--json] | export NAME -o FILE
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/zoo/zoo.h"
#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/table.h"
#include "sim/core/workload_json.h"

namespace h4h {

namespace {

std::string shape_text(const Shape& s) { return fmt::format("{}x{}x{}", s.h, s.w, s.c); }

nlohmann::json model_summary_json(const Workload& w) {
  nlohmann::json layers = nlohmann::json::array();
  for (const Layer& l : w.layers) {
    LayerCounts c = count_layer(l, w.precision);
    layers.push_back({{"name", l.name}, {"op", layer_op_name(l)},
                      {"input", {l.input.h, l.input.w, l.input.c}}, {"output", {l.output.h, l.output.w, l.output.c}},
                      {"macs", c.macs}, {"params", c.params}, {"weight_bytes", c.weight_bytes},
                      {"input_bytes", c.input_bytes}, {"output_bytes", c.output_bytes}});
  }
  WorkloadTotals t = count_workload(w);
  return {{"name", w.name}, {"layers", layers},
          {"total", {{"layers", w.layers.size()}, {"macs", t.macs}, {"params", t.params}, {"weight_bytes", t.weight_bytes},
                     {"activation_bytes", t.activation_bytes}}}};
}

std::string model_table(const Workload& w) {
  TextTable table({"layer", "op", "input", "output", "MACs", "params", "weight B", "out B"});
  for (const Layer& l : w.layers) {
    LayerCounts c = count_layer(l, w.precision);
    table.add_row({l.name, layer_op_name(l), shape_text(l.input), shape_text(l.output), group_digits(c.macs),
                   group_digits(c.params), group_digits(c.weight_bytes), group_digits(c.output_bytes)});
  }
  WorkloadTotals t = count_workload(w);
  table.add_separator();
  table.add_row({fmt::format("total ({} layers)", w.layers.size()), "", "", "", group_digits(t.macs), group_digits(t.params),
                 group_digits(t.weight_bytes), group_digits(t.activation_bytes)});
  std::string out = fmt::format("{}: {} MACs, {} params\n", w.name, short_number(double(t.macs)), short_number(double(t.params)));
  if (const PublishedFigures* pub = published_figures(w.name))
    out += fmt::format("published: {} MACs, {} params ({}); ours/published = {:.4f} MACs, {:.4f} params\n",
                       short_number(pub->macs), short_number(pub->params), pub->source, double(t.macs) / pub->macs,
                       double(t.params) / pub->params);
  return out + table.render();
}

}  // namespace

void add_model_commands(CLI::App& app, Action& action) {
  CLI::App* model = app.add_subcommand("model", "List, inspect and export the model zoo's workloads");
  model->require_subcommand(1);

  model->add_subcommand("list", "List the zoo's models")->callback([&action] {
    action = [] {
      TextTable table({"name", "layers", "MACs", "params"});
      for (const std::string& name : zoo_model_names()) {
        Workload w = build_zoo_model(name);
        WorkloadTotals t = count_workload(w);
        table.add_row({name, std::to_string(w.layers.size()), short_number(double(t.macs)), short_number(double(t.params))});
      }
      std::cout << table.render();
      return 0;
    };
  });

  auto show_target = std::make_shared<std::string>();
  auto show_json = std::make_shared<bool>(false);
  CLI::App* show = model->add_subcommand("show", "Per-layer table (shapes, MACs, parameters, bytes) with totals");
  show->add_option("model", *show_target, "zoo model name or workload JSON file")->required();
  show->add_flag("--json", *show_json, "print JSON instead of a table");
  show->callback([&action, show_target, show_json] {
    action = [show_target, show_json] {
      Workload w = resolve_workload(*show_target, "");
      std::cout << (*show_json ? model_summary_json(w).dump(1) + "\n" : model_table(w));
      return 0;
    };
  });

  auto export_name = std::make_shared<std::string>();
  auto export_out = std::make_shared<std::string>();
  CLI::App* exp = model->add_subcommand("export", "Write a zoo model as a workload JSON file");
  exp->add_option("model", *export_name, "zoo model name")->required();
  exp->add_option("-o,--output", *export_out, "output file ('-' for standard output)")->required();
  exp->callback([&action, export_name, export_out] {
    action = [export_name, export_out] {
      Workload w = build_zoo_model(*export_name);
      write_output(*export_out, workload_to_json(w).dump(1) + "\n");
      return 0;
    };
  });
}

}  // namespace h4h
