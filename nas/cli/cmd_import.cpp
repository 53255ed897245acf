// h4h import MODEL.onnx -o WORKLOAD.json [--name NAME] [--dim NAME=VALUE ...] [--no-fuse]
#include <iostream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/onnx/onnx_import.h"
#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/table.h"
#include "sim/core/error.h"
#include "sim/core/workload_json.h"

namespace h4h {
namespace {

// "--dim seq=197" -> {"seq", 197}.
std::pair<std::string, int64_t> parse_dim(const std::string& text) {
  const size_t eq = text.find('=');
  const std::string name = eq == std::string::npos ? "" : text.substr(0, eq);
  const std::string value = eq == std::string::npos ? "" : text.substr(eq + 1);
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (name.empty() || value.empty() || used != value.size() || v < 1)
    throw_input_error("", "--dim '" + text + "'", "expected NAME=VALUE with an integer VALUE >= 1");
  return {name, v};
}

// "53 layers (conv2d 35, depthwise_conv2d 17, linear 1)".
std::string layer_summary(const Workload& w) {
  std::map<std::string, int> ops;
  for (const Layer& l : w.layers) ++ops[layer_op_name(l)];
  std::string list;
  for (const auto& [op, count] : ops) list += fmt::format("{}{} {}", list.empty() ? "" : ", ", op, count);
  return fmt::format("{} layers ({})", w.layers.size(), list);
}

}  // namespace

void add_import_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, output, name;
    std::vector<std::string> dims;
    bool no_fuse = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("import", "Convert an ONNX model into a workload JSON file (NHWC, batch 1)");
  cmd->add_option("model", opt->model, "ONNX model file (.onnx)")->required();
  cmd->add_option("-o,--output", opt->output, "workload JSON to write ('-' for standard output)")->required();
  cmd->add_option("--name", opt->name, "workload name (default: the file name without .onnx)");
  cmd->add_option("--dim", opt->dims, "value of a symbolic input dimension, e.g. --dim seq=197 (repeatable)");
  cmd->add_flag("--no-fuse", opt->no_fuse,
                "one layer per activation, instead of fusing it into the conv, linear, add or mul before it");
  cmd->callback([&action, opt] {
    action = [opt] {
      OnnxImportOptions options;
      options.name = opt->name;
      for (const std::string& d : opt->dims) options.dims.insert(parse_dim(d));
      options.fuse_activations = !opt->no_fuse;
      options.on_note = [](const std::string& note) { std::cerr << "h4h: note: " << note << "\n"; };
      const Workload w = import_onnx(opt->model, options);
      write_output(opt->output, workload_to_json(w).dump(1) + "\n");
      const WorkloadTotals t = count_workload(w);
      // With the workload on standard output, the summary goes to standard error.
      std::ostream& out = opt->output == "-" ? std::cerr : std::cout;
      out << fmt::format("{} -> {}: workload '{}', {}, {} MACs, {} params\n", opt->model,
                         opt->output == "-" ? "stdout" : opt->output, w.name, layer_summary(w),
                         short_number(double(t.macs)), short_number(double(t.params)));
      return 0;
    };
  });
}

}  // namespace h4h
