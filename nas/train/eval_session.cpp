#include "nas/train/eval_session.h"

#include <algorithm>

#include "models/torch/runtime.h"
#include "nas/train/checkpoint.h"
#include "nas/train/torch_device.h"
#include "sim/core/parameter_error.h"

namespace h4h {

std::unique_ptr<EvalSession> open_eval_session(const std::string& checkpoint, const std::string& data_spec_arg,
                                               int64_t batch_size, int64_t bn_batches, uint64_t seed, int threads,
                                               const std::string& device) {
  if (batch_size < 1) throw ParameterError("batch_size", "expected at least 1");
  if (bn_batches < 0) throw ParameterError("bn_batches", "expected >= 0");
  auto s = std::make_unique<EvalSession>();
  s->meta = read_checkpoint_meta(checkpoint);
  s->space = checkpoint_space(s->meta, checkpoint);

  const nlohmann::json& options = s->meta.at("options");
  data::SplitOptions split;
  split.val_count = options.value("val_count", int64_t(-1));
  const std::string data_spec =
      data_spec_arg.empty() ? options.value("data", std::string("fashion-mnist")) : data_spec_arg;
  s->data = data::open_data(data::parse_data_spec(data_spec), split);
  if (s->data.shape.channels != s->space.input_channels || s->data.num_classes != s->space.num_classes)
    throw ParameterError("data_spec", data_spec,
                         std::to_string(s->data.shape.channels) + "-channel images in " +
                             std::to_string(s->data.num_classes) + " classes, but " + checkpoint +
                             " was trained for " + std::to_string(s->space.input_channels) + " channels and " +
                             std::to_string(s->space.num_classes));

  s->device = parse_torch_device(device);
  configure_torch_runtime(threads);
  s->net = Supernet(s->space);
  load_checkpoint_state(checkpoint, s->net, nullptr);
  s->net->to(s->device);

  SubnetEvalOptions eval_options;
  eval_options.data_resolution = *std::max_element(s->space.resolutions.begin(), s->space.resolutions.end());
  eval_options.batch_size = batch_size;
  eval_options.bn_batches = bn_batches;
  eval_options.seed = seed;
  eval_options.device = s->device;
  s->evaluator = std::make_unique<SubnetEvaluator>(s->data, eval_options);
  return s;
}

}  // namespace h4h
