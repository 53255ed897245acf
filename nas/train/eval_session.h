#pragma once
// A trained supernet ready to score subnets: the checkpoint's space and weights, its data (the
// checkpoint's dataset and validation carve unless another is named), on a device. Shared by
// `h4h eval` (run_evaluation) and the search's scorer (open_scorer).
#include <memory>
#include <string>

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include "models/torch/supernet.h"
#include "nas/data/data_spec.h"
#include "nas/train/subnet_eval.h"

namespace h4h {

struct EvalSession {
  nlohmann::json meta;
  SearchSpace space;
  data::DataSplits data;
  Supernet net{nullptr};
  torch::Device device = torch::kCPU;
  std::unique_ptr<SubnetEvaluator> evaluator;  // refers to `data`: the session stays where it was built
};

// InputError (naming the file or flag) for a corrupt or foreign checkpoint, missing data, or data
// whose channels or classes differ from the checkpoint's.
std::unique_ptr<EvalSession> open_eval_session(const std::string& checkpoint, const std::string& data_spec,
                                               int64_t batch_size, int64_t bn_batches, uint64_t seed, int threads,
                                               const std::string& device);

}  // namespace h4h
