// h4h export --checkpoint FILE --arch largest|smallest|FILE.json -o subnet.onnx [--mapping FILE.json]
//            [--bn-batches N] [--data SPEC] [--json]
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
#include "nas/cli/train_plugin.h"

namespace h4h {

void add_export_command(CLI::App& app, Action& action) {
  auto opt = std::make_shared<ExportOptions>();
  auto fixed_batch = std::make_shared<bool>(false);
  auto as_json = std::make_shared<bool>(false);
  CLI::App* cmd = app.add_subcommand(
      "export", "Write a subnet of a trained supernet, BN-recalibrated, as an ONNX model (opset 17)");
  cmd->add_option("--checkpoint", opt->checkpoint, "a checkpoint written by h4h train (DIR/last.ckpt)")->required();
  cmd->add_option("--arch", opt->arch, "largest | smallest | ArchConfig JSON file")->capture_default_str();
  cmd->add_option("-o,--output", opt->output, "the .onnx file to write (replaced atomically)")->required();
  cmd->add_option("--mapping", opt->mapping, "mapping JSON file to carry as metadata (h4h.mapping)");
  cmd->add_option("--data", opt->data_spec, "recalibration dataset (default: the checkpoint's)");
  cmd->add_option("--batch-size", opt->batch_size, "recalibration batch")->capture_default_str();
  cmd->add_option("--bn-batches", opt->bn_batches, "training batches for BN recalibration (0: stored statistics)")
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "seed of the recalibration batches")->capture_default_str();
  cmd->add_flag("--fixed-batch", *fixed_batch, "input batch dimension 1 instead of the symbolic N");
  cmd->add_option("--threads", opt->threads, "intra-op threads (0: every core)")->capture_default_str();
  cmd->add_option("--device", opt->device, "cpu | cuda")->capture_default_str();
  cmd->add_flag("--json", *as_json, "print a JSON summary");
  cmd->callback([&action, opt, fixed_batch, as_json] {
    action = [opt, fixed_batch, as_json] {
      opt->dynamic_batch = !*fixed_batch;
      const nlohmann::json doc = train_plugin().export_onnx(*opt);
      if (*as_json) {
        std::cout << doc.dump(1) << "\n";
      } else {
        std::cout << fmt::format("wrote {} ({} nodes, {:.1f}k params, {:.2f} MMACs, {:.1f} KiB): subnet {} at {}x{}, "
                                 "ONNX opset {}, IR {}\n",
                                 opt->output, doc["nodes"].get<int64_t>(), doc["params"].get<double>() / 1e3,
                                 doc["macs"].get<double>() / 1e6, doc["bytes"].get<double>() / 1024,
                                 doc["key"].get<std::string>(), doc["resolution"].get<int>(),
                                 doc["resolution"].get<int>(), doc["opset"].get<int>(), doc["ir_version"].get<int>());
      }
      return 0;
    };
  });
}

}  // namespace h4h
