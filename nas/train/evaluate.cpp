// run_evaluation: top-1 of chosen subnets of a trained supernet, after BN recalibration.
#include <algorithm>

#include <fmt/format.h>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "models/torch/runtime.h"
#include "nas/train/checkpoint.h"
#include "nas/train/subnet_eval.h"
#include "nas/train/torch_device.h"
#include "nas/train/train_api.h"
#include "sim/core/error.h"

namespace h4h {

using nlohmann::json;

namespace {

std::vector<ArchConfig> chosen_archs(const std::string& spec, const SearchSpace& space, uint64_t seed) {
  if (spec == "largest") return {largest_arch(space)};
  if (spec == "smallest") return {smallest_arch(space)};
  if (spec.rfind("random:", 0) == 0) {
    int n = 0;
    try {
      size_t used = 0;
      n = std::stoi(spec.substr(7), &used);
      if (used != spec.size() - 7) n = 0;
    } catch (const std::exception&) {
      n = 0;
    }
    if (n < 1 || n > 100000) throw InputError("--arch " + spec + ": expected random:N with N in [1, 100000]");
    Rng rng(seed);
    std::vector<ArchConfig> out;
    for (int i = 0; i < n; ++i) out.push_back(random_arch(space, rng));
    return out;
  }
  return {load_arch(spec, space)};
}

}  // namespace

json run_evaluation(const EvalOptions& o) {
  if (o.split != "val" && o.split != "test") throw InputError("--split: expected val or test, got " + o.split);
  if (o.batch_size < 1) throw InputError("--batch-size: expected at least 1");
  if (o.bn_batches < 0) throw InputError("--bn-batches: expected >= 0");
  const json meta = read_checkpoint_meta(o.checkpoint);
  const SearchSpace space = checkpoint_space(meta, o.checkpoint);
  const std::vector<ArchConfig> archs = chosen_archs(o.arch, space, o.seed);

  const json& options = meta.at("options");
  data::SplitOptions split;
  split.val_count = options.value("val_count", int64_t(-1));
  const std::string data_spec = o.data_spec.empty() ? options.value("data", std::string("fashion-mnist")) : o.data_spec;
  const data::DataSplits d = data::open_data(data::parse_data_spec(data_spec), split);
  if (d.shape.channels != space.input_channels || d.num_classes != space.num_classes)
    throw InputError("--data " + data_spec + ": " + std::to_string(d.shape.channels) + "-channel images in " +
                     std::to_string(d.num_classes) + " classes, but " + o.checkpoint + " was trained for " +
                     std::to_string(space.input_channels) + " channels and " + std::to_string(space.num_classes));

  const torch::Device device = parse_torch_device(o.device);
  configure_torch_runtime(o.threads);
  Supernet net(space);
  load_checkpoint_state(o.checkpoint, net, nullptr);
  net->to(device);

  SubnetEvalOptions eval_options;
  eval_options.data_resolution = *std::max_element(space.resolutions.begin(), space.resolutions.end());
  eval_options.batch_size = o.batch_size;
  eval_options.bn_batches = o.bn_batches;
  eval_options.seed = o.seed;
  eval_options.device = device;
  const SubnetEvaluator evaluator(d, eval_options);
  const data::DatasetPtr split_data = o.split == "test" ? d.test : d.val;

  json results = json::array();
  for (size_t i = 0; i < archs.size(); ++i) {
    const ArchConfig& arch = archs[i];
    const double top1 = evaluator.top1(net, arch, split_data);
    const WorkloadTotals totals = count_workload(arch_to_workload(arch, space));
    results.push_back({{"arch", arch_to_json(arch, space)},
                       {"key", arch_key(arch)},
                       {"top1", top1},
                       {"macs", totals.macs},
                       {"params", totals.params},
                       {"transformer_blocks", arch.transformer_blocks()}});
  }
  return {{"checkpoint", o.checkpoint},
          {"space", space.name},
          {"data", d.describe()},
          {"split", o.split},
          {"split_size", split_data->size()},
          {"bn_batches", o.bn_batches},
          {"step", meta.at("step")},
          {"total_steps", meta.at("total_steps")},
          {"results", results}};
}

}  // namespace h4h
