// run_evaluation: top-1 of chosen subnets of a trained supernet, after BN recalibration.
#include <algorithm>

#include <fmt/format.h>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "nas/train/eval_session.h"
#include "nas/train/train_api.h"
#include "sim/core/parameter_error.h"

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
    if (n < 1 || n > 100000) throw ParameterError("arch", spec, "expected random:N with N in [1, 100000]");
    Rng rng(seed);
    std::vector<ArchConfig> out;
    for (int i = 0; i < n; ++i) out.push_back(random_arch(space, rng));
    return out;
  }
  return {load_arch(spec, space)};
}

}  // namespace

json run_evaluation(const EvalOptions& o) {
  if (o.split != "val" && o.split != "test") throw ParameterError("split", "expected val or test, got " + o.split);
  const std::unique_ptr<EvalSession> session =
      open_eval_session(o.checkpoint, o.data_spec, o.batch_size, o.bn_batches, o.seed, o.threads, o.device);
  const SearchSpace& space = session->space;
  const json& meta = session->meta;
  const data::DataSplits& d = session->data;
  const std::vector<ArchConfig> archs = chosen_archs(o.arch, space, o.seed);
  const data::DatasetPtr split_data = o.split == "test" ? d.test : d.val;

  json results = json::array();
  for (size_t i = 0; i < archs.size(); ++i) {
    const ArchConfig& arch = archs[i];
    const double top1 = session->evaluator->top1(session->net, arch, split_data);
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
