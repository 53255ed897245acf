#include "models/torch/supernet.h"

#include <algorithm>

#include "sim/core/error.h"

namespace h4h {

namespace {

template <typename T>
T largest(const std::vector<T>& v) {
  return *std::max_element(v.begin(), v.end());
}

bool contains(const std::vector<BlockType>& v, BlockType t) { return std::find(v.begin(), v.end(), t) != v.end(); }

// Elastic kernels are centre crops of the largest: all odd.
void check_kernels(const SearchSpace& space) {
  if (space.first_conv_kernel % 2 == 0)
    throw_input_error(space.file, "first_conv.kernel",
                      "the supernet needs odd kernels (padding k/2), got " + std::to_string(space.first_conv_kernel));
  for (size_t i = 0; i < space.stages.size(); ++i)
    for (int k : space.stages[i].mbconv.kernels)
      if (k % 2 == 0)
        throw_input_error(space.file, "stages[" + std::to_string(i) + "].mbconv.kernels",
                          "elastic kernels are centre crops of the largest and must be odd, got " + std::to_string(k));
}

std::string slot_name(size_t stage, size_t block, const char* type) {
  return "stage" + std::to_string(stage) + "_block" + std::to_string(block) + "_" + type;
}

ElasticBatchNorm2d batch_norm(int64_t channels, const NormOptions& n) {
  return ElasticBatchNorm2d(ElasticBatchNorm2dOptions(channels).eps(n.bn_eps).momentum(n.bn_momentum));
}

}  // namespace

SupernetImpl::SupernetImpl(SearchSpace space, const SubnetOptions& options)
    : space_(std::move(space)), options_(options) {
  check_kernels(space_);
  const SearchSpace& s = space_;
  const NormOptions& n = options_.norm;
  int64_t in_max = largest(s.first_conv_widths);
  first_conv = register_module(
      "first_conv", ElasticConv2d(ElasticConv2dOptions(s.input_channels, in_max, s.first_conv_kernel)
                                      .stride(s.first_conv_stride)));
  first_bn = register_module("first_bn", batch_norm(in_max, n));
  for (size_t i = 0; i < s.stages.size(); ++i) {
    const StageSpace& ss = s.stages[i];
    const int64_t width = largest(ss.widths);
    const int depth = largest(ss.depths);
    mbconv_.emplace_back(depth, ElasticMBConv(nullptr));
    transformer_.emplace_back(depth, ElasticTransformer(nullptr));
    for (int j = 0; j < depth; ++j) {
      const std::string name = ss.name + "." + std::to_string(j);
      if (j == 0 || contains(ss.later_blocks, BlockType::MBConv))
        mbconv_[i][j] = register_module(
            slot_name(i, j, "mbconv"),
            ElasticMBConv(ElasticMBConvOptions(j == 0 ? in_max : width, width, largest(ss.mbconv.kernels),
                                               ss.mbconv.expands)
                              .name(name)
                              .se(largest(ss.mbconv.se))
                              .stride(j == 0 ? ss.stride : 1)
                              .activation(s.activation)
                              .norm(n)));
      if (j > 0 && ss.has_transformer && contains(ss.later_blocks, BlockType::Transformer)) {
        const TransformerChoices& t = ss.transformer;
        transformer_[i][j] = register_module(
            slot_name(i, j, "transformer"),
            ElasticTransformer(ElasticTransformerOptions(width, largest(t.heads), largest(t.head_dims),
                                                         largest(t.mlp_ratios))
                                   .name(name)
                                   .activation(s.activation)
                                   .norm(n)));
      }
    }
    in_max = width;
  }
  const int64_t head_max = largest(s.head_conv_widths), fc_max = largest(s.head_fc_widths);
  head_conv = register_module("head_conv", ElasticConv2d(ElasticConv2dOptions(in_max, head_max, 1)));
  head_bn = register_module("head_bn", batch_norm(head_max, n));
  head_fc = register_module("head_fc", ElasticLinear(ElasticLinearOptions(head_max, fc_max)));
  classifier = register_module("classifier", ElasticLinear(ElasticLinearOptions(fc_max, s.num_classes)));
  set_largest_subnet();
}

void SupernetImpl::set_active_subnet(const ArchConfig& arch) {
  validate_arch(arch, space_);
  for (size_t i = 0; i < arch.stages.size(); ++i) {
    const StageConfig& sc = arch.stages[i];
    for (size_t j = 0; j < sc.blocks.size(); ++j) {
      const BlockConfig& b = sc.blocks[j];
      if (b.type == BlockType::MBConv)
        mbconv_[i][j]->set_active(b, sc.width);
      else
        transformer_[i][j]->set_active(b);
    }
  }
  active_ = arch;
}

ArchConfig SupernetImpl::sample_active_subnet(Rng& rng, bool cnn_only) {
  ArchConfig arch = random_arch(space_, rng, cnn_only);
  set_active_subnet(arch);
  return arch;
}

torch::Tensor SupernetImpl::forward(const torch::Tensor& images) {
  require(images.dim() == 4 && images.size(1) == space_.input_channels,
          "Supernet: expected images [B, " + std::to_string(space_.input_channels) + ", H, W]");
  const ArchConfig& a = active_;
  const ActivationFn act = space_.activation;
  torch::Tensor x = options_.channels_last ? channels_last_images(images) : images;
  x = first_conv(x, a.first_conv_width, space_.first_conv_kernel);
  count_conv("first_conv", x, space_.input_channels, space_.first_conv_kernel);
  x = activate(first_bn(x), act);
  for (size_t i = 0; i < a.stages.size(); ++i)
    for (size_t j = 0; j < a.stages[i].blocks.size(); ++j)
      x = a.stages[i].blocks[j].type == BlockType::MBConv ? mbconv_[i][j]->forward(x) : transformer_[i][j]->forward(x);
  const int64_t width = x.size(1);
  x = head_conv(x, a.head_conv_width, 1);
  count_conv("head.conv", x, width, 1);
  x = activate(head_bn(x), act).mean({2, 3});
  x = head_fc(x, a.head_fc_width);
  count_linear("head.fc", x, a.head_conv_width);
  x = classifier(activate(x, act), space_.num_classes);
  count_linear("classifier", x, a.head_fc_width);
  return x;
}

void copy_module_state(torch::nn::Module& dst, const torch::nn::Module& src) {
  const auto copy_all = [](const torch::OrderedDict<std::string, torch::Tensor>& to,
                           const torch::OrderedDict<std::string, torch::Tensor>& from) {
    require(to.size() == from.size(), "copy_module_state: different sets of tensors");
    for (const auto& item : from) {
      const torch::Tensor* t = to.find(item.key());
      require(t != nullptr, "copy_module_state: no tensor named " + item.key());
      copy_into(*t, item.value(), item.key());
    }
  };
  copy_all(dst.named_parameters(), src.named_parameters());
  copy_all(dst.named_buffers(), src.named_buffers());
}

StaticSubnet SupernetImpl::extract_active_subnet() const {
  const ArchConfig& a = active_;
  StaticSubnet s(space_, a, options_);
  s->to(first_conv->weight.device());
  copy_into(s->first_conv->weight, first_conv->weight_slice(space_.input_channels, a.first_conv_width, space_.first_conv_kernel),
            "first conv weight");
  copy_batch_norm(s->first_bn, *first_bn);
  int64_t width = a.first_conv_width;
  size_t index = 0;
  for (size_t i = 0; i < a.stages.size(); ++i) {
    for (size_t j = 0; j < a.stages[i].blocks.size(); ++j, ++index) {
      torch::nn::Module& dst = *s->blocks->ptr(index);
      if (a.stages[i].blocks[j].type == BlockType::MBConv)
        copy_module_state(dst, *mbconv_[i][j]->extract(width));
      else
        copy_module_state(dst, *transformer_[i][j]->extract(width));
      width = a.stages[i].width;
    }
  }
  copy_into(s->head_conv->weight, head_conv->weight_slice(width, a.head_conv_width, 1), "head conv weight");
  copy_batch_norm(s->head_bn, *head_bn);
  copy_into(s->head_fc->weight, head_fc->weight_slice(a.head_conv_width, a.head_fc_width), "head fc weight");
  copy_into(s->head_fc->bias, head_fc->bias_slice(a.head_fc_width), "head fc bias");
  copy_into(s->classifier->weight, classifier->weight_slice(a.head_fc_width, space_.num_classes), "classifier weight");
  copy_into(s->classifier->bias, classifier->bias_slice(space_.num_classes), "classifier bias");
  s->train(is_training());
  return s;
}

std::vector<LayerCount> SupernetImpl::count_active_layers() {
  torch::NoGradGuard no_grad;
  const bool was_training = is_training();
  eval();
  std::vector<LayerCount> counts;
  {
    CountingScope scope(counts);
    const int64_t r = active_.resolution;
    forward(torch::zeros({1, space_.input_channels, r, r}, first_conv->weight.options()));
  }
  train(was_training);
  return counts;
}

std::vector<ElasticBatchNorm2d> SupernetImpl::batch_norms() const {
  std::vector<ElasticBatchNorm2d> out;
  for (const auto& m : modules(/*include_self=*/false))
    if (auto bn = std::dynamic_pointer_cast<ElasticBatchNorm2dImpl>(m)) out.emplace_back(bn);
  return out;
}

void SupernetImpl::set_replica_sum(const ReplicaSum& sum) {
  for (auto bn : batch_norms()) bn->set_replica_sum(sum);
}

int64_t SupernetImpl::recalibrate_bn(const BatchSource& next_batch, int64_t max_batches) {
  const std::vector<ElasticBatchNorm2d> bns = batch_norms();
  const bool was_training = is_training();
  // Restores the modes however the loop ends (a source may throw).
  struct Restore {
    SupernetImpl* net;
    std::vector<ElasticBatchNorm2d> bns;
    bool training;
    ~Restore() {
      for (auto bn : bns) bn->end_calibration();
      net->train(training);
    }
  } restore{this, bns, was_training};
  torch::NoGradGuard no_grad;
  for (auto bn : bns) bn->begin_calibration();
  train(true);
  int64_t used = 0;
  for (; max_batches < 0 || used < max_batches; ++used) {
    const torch::Tensor batch = next_batch();
    if (!batch.defined()) break;
    forward(batch);
  }
  if (used == 0) throw InputError("BN recalibration: the batch source gave no batches");
  return used;
}

}  // namespace h4h
