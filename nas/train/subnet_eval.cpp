#include "nas/train/subnet_eval.h"

#include <algorithm>

#include "nas/train/torch_batch.h"

namespace h4h {

SubnetEvaluator::SubnetEvaluator(const data::DataSplits& splits, SubnetEvalOptions options)
    : splits_(splits), options_(options) {}

double SubnetEvaluator::top1(Supernet& net, const ArchConfig& arch, const data::DatasetPtr& split) const {
  net->set_active_subnet(arch);
  const data::Transform transform(data::eval_transform(splits_, options_.data_resolution));
  data::LoaderOptions loader_options;
  loader_options.batch_size = options_.batch_size;
  loader_options.layout = data::Layout::NHWC;
  loader_options.seed = options_.seed;
  const torch::Device device = options_.device;
  if (options_.bn_batches > 0) {
    data::BatchLoader calibration(splits_.train, transform, loader_options);
    data::Batch batch;
    net->recalibrate_bn(
        [&]() -> torch::Tensor {
          if (!calibration.next(batch)) return {};
          return at_resolution(batch_images(batch, device), arch.resolution);
        },
        options_.bn_batches);
  }
  loader_options.shuffle = false;
  data::BatchLoader loader(split, transform, loader_options);
  const bool was_training = net->is_training();
  net->eval();
  torch::NoGradGuard no_grad;
  int64_t correct = 0, seen = 0;
  data::Batch batch;
  while (loader.next(batch)) {
    const torch::Tensor logits = net->forward(at_resolution(batch_images(batch, device), arch.resolution));
    correct += logits.argmax(1).eq(batch_labels(batch, device)).sum().item<int64_t>();
    seen += batch.n;
  }
  net->train(was_training);
  return seen > 0 ? double(correct) / double(seen) : 0.0;
}

namespace {

BlockConfig mbconv_block(const StageSpace& stage, bool largest) {
  const auto pick = [largest](const std::vector<int>& v) {
    return largest ? *std::max_element(v.begin(), v.end()) : *std::min_element(v.begin(), v.end());
  };
  BlockConfig b;
  b.type = BlockType::MBConv;
  b.kernel = pick(stage.mbconv.kernels);
  b.expand = pick(stage.mbconv.expands);
  const bool has_se = std::find(stage.mbconv.se.begin(), stage.mbconv.se.end(), true) != stage.mbconv.se.end();
  const bool has_plain = std::find(stage.mbconv.se.begin(), stage.mbconv.se.end(), false) != stage.mbconv.se.end();
  b.se = largest ? has_se : !has_plain;
  return b;
}

ArchConfig cnn_only(ArchConfig arch, const SearchSpace& space, bool largest) {
  for (size_t i = 0; i < arch.stages.size(); ++i)
    for (BlockConfig& b : arch.stages[i].blocks)
      if (b.type != BlockType::MBConv) b = mbconv_block(space.stages[i], largest);
  return arch;
}

}  // namespace

ArchConfig largest_cnn_arch(const SearchSpace& space) { return cnn_only(largest_arch(space), space, true); }
ArchConfig smallest_cnn_arch(const SearchSpace& space) { return cnn_only(smallest_arch(space), space, false); }

}  // namespace h4h
