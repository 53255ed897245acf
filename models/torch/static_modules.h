#pragma once
// Static (fixed-architecture) modules built from plain torch::nn layers: one MBConv block, one
// transformer block, and a whole subnet of a search space. They are what Supernet::extract_active_subnet
// returns with weights copied in, and the reference the elastic modules are tested against. The
// layer structure is arch_workload.h's (a conv's BatchNorm stands for the bias a deployed network
// folds it into); the names of the submodules follow the workload's layer names.
#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "models/space/arch_config.h"

namespace h4h {

struct NormOptions {
  double bn_eps = 1e-5, bn_momentum = 0.1;  // BatchNorm2d after every conv except SE's
  double ln_eps = 1e-5;                     // LayerNorm in transformer blocks
};

// ---------------------------------------------------------------- MBConv
// 1x1 expand + BN + act (absent for expand 1), kxk depthwise (stride) + BN + act, optional SE
// (mean pool, 1x1 conv with bias + relu, 1x1 conv with bias + hsigmoid, scale), 1x1 project + BN,
// identity residual when stride is 1 and in == out.
struct StaticMBConvOptions {
  StaticMBConvOptions(int64_t in_channels, int64_t out_channels, BlockConfig block)
      : in_channels_(in_channels), out_channels_(out_channels), block_(block) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(BlockConfig, block);  // kernel, expand, se
  TORCH_ARG(int, stride) = 1;
  TORCH_ARG(ActivationFn, activation) = ActivationFn::Swish;
  TORCH_ARG(NormOptions, norm) = {};
};

class StaticMBConvImpl : public torch::nn::Module {
 public:
  explicit StaticMBConvImpl(const StaticMBConvOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

  StaticMBConvOptions options;
  int64_t mid_channels = 0;
  torch::nn::Conv2d expand{nullptr}, depthwise{nullptr}, se_reduce{nullptr}, se_expand{nullptr}, project{nullptr};
  torch::nn::BatchNorm2d expand_bn{nullptr}, depthwise_bn{nullptr}, project_bn{nullptr};
};
TORCH_MODULE(StaticMBConv);

// ---------------------------------------------------------------- transformer
// On a grid [B, C, H, W] as H*W tokens: x + proj(attn(qkv(ln1(x)))), then + fc2(act(fc1(ln2(x)))),
// back to the grid. qkv's output is laid out head by head (q, k, v per head; see attention_core).
struct StaticTransformerOptions {
  StaticTransformerOptions(int64_t width, BlockConfig block) : width_(width), block_(block) {}
  TORCH_ARG(int64_t, width);
  TORCH_ARG(BlockConfig, block);  // heads, head_dim, mlp_ratio
  TORCH_ARG(ActivationFn, activation) = ActivationFn::Swish;
  TORCH_ARG(NormOptions, norm) = {};
};

class StaticTransformerImpl : public torch::nn::Module {
 public:
  explicit StaticTransformerImpl(const StaticTransformerOptions& options);
  torch::Tensor forward(const torch::Tensor& x);

  StaticTransformerOptions options;
  torch::nn::LayerNorm norm1{nullptr}, norm2{nullptr};
  torch::nn::Linear qkv{nullptr}, proj{nullptr}, fc1{nullptr}, fc2{nullptr};
};
TORCH_MODULE(StaticTransformer);

// ---------------------------------------------------------------- subnet
struct SubnetOptions {
  NormOptions norm;
  // Run convolutions on channels-last tensors (the input is converted once): measured faster on
  // CPU for depthwise convs (docs/design.md), and it makes the grid -> token reshape a view.
  bool channels_last = true;
};

// One ArchConfig as a fixed network: first conv + BN + act, the blocks (blocks[i] in order), head
// 1x1 conv + BN + act, global average pool, fc + act, classifier. Images [B, C_in, H, W] -> logits
// [B, num_classes]; any H, W works, MACs match arch_workload at H = W = arch.resolution.
class StaticSubnetImpl : public torch::nn::Module {
 public:
  // Throws InputError when `arch` is not a member of `space`.
  StaticSubnetImpl(const SearchSpace& space, const ArchConfig& arch, const SubnetOptions& options = {});
  torch::Tensor forward(const torch::Tensor& images);

  const ArchConfig& arch() const { return arch_; }

  torch::nn::Conv2d first_conv{nullptr}, head_conv{nullptr};
  torch::nn::BatchNorm2d first_bn{nullptr}, head_bn{nullptr};
  torch::nn::Sequential blocks{nullptr};  // StaticMBConv / StaticTransformer, named "stage<i>_block<j>"
  torch::nn::Linear head_fc{nullptr}, classifier{nullptr};

 private:
  ArchConfig arch_;
  ActivationFn activation_;
  int64_t input_channels_;
  bool channels_last_;
};
TORCH_MODULE(StaticSubnet);

}  // namespace h4h
