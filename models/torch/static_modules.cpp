#include "models/torch/static_modules.h"

#include <utility>

#include "models/torch/common.h"

namespace h4h {

namespace {

namespace nn = torch::nn;

nn::Conv2d conv(int64_t in, int64_t out, int kernel, int stride = 1, int64_t groups = 1, bool bias = false) {
  return nn::Conv2d(
      nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).groups(groups).bias(bias));
}

nn::BatchNorm2d batch_norm(int64_t channels, const NormOptions& n) {
  return nn::BatchNorm2d(nn::BatchNorm2dOptions(channels).eps(n.bn_eps).momentum(n.bn_momentum));
}

nn::LayerNorm layer_norm(int64_t width, const NormOptions& n) {
  return nn::LayerNorm(nn::LayerNormOptions({width}).eps(n.ln_eps));
}

}  // namespace

// ---------------------------------------------------------------- MBConv

StaticMBConvImpl::StaticMBConvImpl(const StaticMBConvOptions& o) : options(o) {
  const BlockConfig& b = o.block();
  require(b.type == BlockType::MBConv, "StaticMBConv: block is not an MBConv");
  mid_channels = mbconv_mid_channels(o.in_channels(), b.expand);
  if (b.expand != 1) {
    expand = register_module("expand", conv(o.in_channels(), mid_channels, 1));
    expand_bn = register_module("expand_bn", batch_norm(mid_channels, o.norm()));
  }
  depthwise = register_module("depthwise", conv(mid_channels, mid_channels, b.kernel, o.stride(), mid_channels));
  depthwise_bn = register_module("depthwise_bn", batch_norm(mid_channels, o.norm()));
  if (b.se) {
    const int64_t se = se_channels(mid_channels);
    se_reduce = register_module("se_reduce", conv(mid_channels, se, 1, 1, 1, true));
    se_expand = register_module("se_expand", conv(se, mid_channels, 1, 1, 1, true));
  }
  project = register_module("project", conv(mid_channels, o.out_channels(), 1));
  project_bn = register_module("project_bn", batch_norm(o.out_channels(), o.norm()));
}

torch::Tensor StaticMBConvImpl::forward(const torch::Tensor& x) {
  const ActivationFn act = options.activation();
  torch::Tensor h = x;
  if (expand) h = activate(expand_bn(expand(h)), act);
  h = activate(depthwise_bn(depthwise(h)), act);
  if (se_reduce) {
    torch::Tensor s = h.mean({2, 3}, /*keepdim=*/true);
    s = activate(se_expand(activate(se_reduce(s), ActivationFn::Relu)), ActivationFn::HSigmoid);
    h = h * s;
  }
  h = project_bn(project(h));
  if (options.stride() == 1 && options.in_channels() == options.out_channels()) h = h + x;
  return h;
}

// ---------------------------------------------------------------- transformer

StaticTransformerImpl::StaticTransformerImpl(const StaticTransformerOptions& o) : options(o) {
  const BlockConfig& b = o.block();
  require(b.type == BlockType::Transformer, "StaticTransformer: block is not a transformer");
  const int64_t c = o.width(), inner = int64_t(b.heads) * b.head_dim;
  norm1 = register_module("norm1", layer_norm(c, o.norm()));
  qkv = register_module("qkv", nn::Linear(c, 3 * inner));
  proj = register_module("proj", nn::Linear(inner, c));
  norm2 = register_module("norm2", layer_norm(c, o.norm()));
  fc1 = register_module("fc1", nn::Linear(c, int64_t(b.mlp_ratio) * c));
  fc2 = register_module("fc2", nn::Linear(int64_t(b.mlp_ratio) * c, c));
}

torch::Tensor StaticTransformerImpl::forward(const torch::Tensor& x) {
  const BlockConfig& b = options.block();
  torch::Tensor t = grid_to_tokens(x);
  t = t + proj(attention_core(qkv(norm1(t)), b.heads, b.head_dim));
  t = t + fc2(activate(fc1(norm2(t)), options.activation()));
  return tokens_to_grid(t, x.size(2), x.size(3));
}

// ---------------------------------------------------------------- subnet

StaticSubnetImpl::StaticSubnetImpl(const SearchSpace& space, const ArchConfig& arch, const SubnetOptions& options)
    : arch_(arch),
      activation_(space.activation),
      input_channels_(space.input_channels),
      channels_last_(options.channels_last) {
  validate_arch(arch, space);
  const NormOptions& norm = options.norm;
  first_conv = register_module(
      "first_conv", conv(space.input_channels, arch.first_conv_width, space.first_conv_kernel, space.first_conv_stride));
  first_bn = register_module("first_bn", batch_norm(arch.first_conv_width, norm));
  blocks = register_module("blocks", nn::Sequential());
  int64_t width = arch.first_conv_width;
  for (size_t i = 0; i < arch.stages.size(); ++i) {
    const StageSpace& ss = space.stages[i];
    const StageConfig& sc = arch.stages[i];
    for (size_t j = 0; j < sc.blocks.size(); ++j) {
      const BlockConfig& b = sc.blocks[j];
      std::string name = "stage" + std::to_string(i) + "_block" + std::to_string(j);
      if (b.type == BlockType::MBConv)
        blocks->push_back(std::move(name), StaticMBConv(StaticMBConvOptions(width, sc.width, b)
                                                 .stride(j == 0 ? ss.stride : 1)
                                                 .activation(space.activation)
                                                 .norm(norm)));
      else
        blocks->push_back(std::move(name), StaticTransformer(StaticTransformerOptions(sc.width, b)
                                                      .activation(space.activation)
                                                      .norm(norm)));
      width = sc.width;
    }
  }
  head_conv = register_module("head_conv", conv(width, arch.head_conv_width, 1));
  head_bn = register_module("head_bn", batch_norm(arch.head_conv_width, norm));
  head_fc = register_module("head_fc", nn::Linear(arch.head_conv_width, arch.head_fc_width));
  classifier = register_module("classifier", nn::Linear(arch.head_fc_width, space.num_classes));
}

torch::Tensor StaticSubnetImpl::forward(const torch::Tensor& images) {
  require(images.dim() == 4 && images.size(1) == input_channels_,
          "StaticSubnet: expected images [B, " + std::to_string(input_channels_) + ", H, W]");
  torch::Tensor x = channels_last_ ? channels_last_images(images) : images;
  x = activate(first_bn(first_conv(x)), activation_);
  x = blocks->forward(x);
  x = activate(head_bn(head_conv(x)), activation_);
  x = x.mean({2, 3});
  x = activate(head_fc(x), activation_);
  return classifier(x);
}

}  // namespace h4h
