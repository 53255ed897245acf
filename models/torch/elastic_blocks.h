#pragma once
// Elastic blocks of the supernet: an MBConv slot and a transformer slot, each owning the weights of
// the largest block the slot can hold and running the active one (set_active) on slices of them.
// extract() returns the static block (static_modules.h) of the active configuration with copies of
// the sliced weights, which computes the same function. In forward, a CountingScope (common.h)
// receives one LayerCount per weighted layer / matmul, named like arch_workload's layers
// ("<name>.expand", "<name>.q_kt", ...).
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "models/torch/elastic_ops.h"
#include "models/torch/static_modules.h"

namespace h4h {

// ---------------------------------------------------------------- MBConv slot
struct ElasticMBConvOptions {
  ElasticMBConvOptions(int64_t max_in_channels, int64_t max_out_channels, int max_kernel, std::vector<int> expands)
      : max_in_channels_(max_in_channels),
        max_out_channels_(max_out_channels),
        max_kernel_(max_kernel),
        expands_(std::move(expands)) {}
  TORCH_ARG(std::string, name);  // for layer counts, e.g. "s2.0"
  TORCH_ARG(int64_t, max_in_channels);
  TORCH_ARG(int64_t, max_out_channels);
  TORCH_ARG(int, max_kernel);
  TORCH_ARG(std::vector<int>, expands);  // every expansion ratio the slot may take
  TORCH_ARG(bool, se) = false;           // some choice uses squeeze-excite
  TORCH_ARG(int, stride) = 1;
  TORCH_ARG(ActivationFn, activation) = ActivationFn::Swish;
  TORCH_ARG(NormOptions, norm) = {};
};

class ElasticMBConvImpl : public torch::nn::Module {
 public:
  explicit ElasticMBConvImpl(const ElasticMBConvOptions& options);

  // `block` (an MBConv: kernel, expand, se) producing `out_channels`; checked against the options.
  void set_active(const BlockConfig& block, int64_t out_channels);
  // x: [B, in, H, W], in <= max_in_channels (the active input width is the input's).
  torch::Tensor forward(const torch::Tensor& x);
  // The active block on an input of `in_channels`, weights and BN statistics copied.
  StaticMBConv extract(int64_t in_channels) const;

  ElasticMBConvOptions options;
  int64_t max_mid_channels = 0, max_se_channels = 0;
  ElasticConv2d expand{nullptr}, project{nullptr}, se_reduce{nullptr}, se_expand{nullptr};
  ElasticDepthwiseConv2d depthwise{nullptr};
  ElasticBatchNorm2d expand_bn{nullptr}, depthwise_bn{nullptr}, project_bn{nullptr};

 private:
  BlockConfig active_;
  int64_t active_out_ = 0;
};
TORCH_MODULE(ElasticMBConv);

// ---------------------------------------------------------------- attention
struct ElasticAttentionOptions {
  ElasticAttentionOptions(int64_t max_width, int max_heads, int max_head_dim)
      : max_width_(max_width), max_heads_(max_heads), max_head_dim_(max_head_dim) {}
  TORCH_ARG(int64_t, max_width);
  TORCH_ARG(int, max_heads);
  TORCH_ARG(int, max_head_dim);
};

// Multi-head self-attention with elastic heads and head dimension: qkv [max_heads*3*max_head_dim,
// max_width] laid out head by head (q, k, v rows of each head), proj [max_width, max_heads*max_head_dim].
// h heads of dimension d use the first h heads' first d rows of each of q, k, v (one narrow when d
// is the maximum), and the matching columns of proj.
class ElasticAttentionImpl : public torch::nn::Module {
 public:
  explicit ElasticAttentionImpl(const ElasticAttentionOptions& options);
  void reset_parameters();

  // tokens [B, N, C] -> [B, N, C]; `name` prefixes the layer counts (qkv, q_kt, attn_v, proj).
  torch::Tensor forward(const torch::Tensor& tokens, int heads, int head_dim, const std::string& name = "");
  torch::Tensor qkv_weight_slice(int64_t width, int heads, int head_dim) const;  // [h*3*d, C]
  torch::Tensor qkv_bias_slice(int heads, int head_dim) const;
  torch::Tensor proj_weight_slice(int64_t width, int heads, int head_dim) const;  // [C, h*d]
  torch::Tensor proj_bias_slice(int64_t width) const;

  ElasticAttentionOptions options;
  torch::Tensor qkv_weight, qkv_bias, proj_weight, proj_bias;
};
TORCH_MODULE(ElasticAttention);

// ---------------------------------------------------------------- transformer slot
struct ElasticTransformerOptions {
  ElasticTransformerOptions(int64_t max_width, int max_heads, int max_head_dim, int max_mlp_ratio)
      : max_width_(max_width), max_heads_(max_heads), max_head_dim_(max_head_dim), max_mlp_ratio_(max_mlp_ratio) {}
  TORCH_ARG(std::string, name);
  TORCH_ARG(int64_t, max_width);
  TORCH_ARG(int, max_heads);
  TORCH_ARG(int, max_head_dim);
  TORCH_ARG(int, max_mlp_ratio);
  TORCH_ARG(ActivationFn, activation) = ActivationFn::Swish;
  TORCH_ARG(NormOptions, norm) = {};
};

// The width is the input's (a transformer keeps it); the MLP's hidden width is mlp_ratio * width.
class ElasticTransformerImpl : public torch::nn::Module {
 public:
  explicit ElasticTransformerImpl(const ElasticTransformerOptions& options);

  void set_active(const BlockConfig& block);  // a transformer: heads, head_dim, mlp_ratio
  torch::Tensor forward(const torch::Tensor& x);  // [B, C, H, W] -> [B, C, H, W]
  StaticTransformer extract(int64_t width) const;

  ElasticTransformerOptions options;
  ElasticLayerNorm norm1{nullptr}, norm2{nullptr};
  ElasticAttention attention{nullptr};
  ElasticLinear fc1{nullptr}, fc2{nullptr};

 private:
  BlockConfig active_;
};
TORCH_MODULE(ElasticTransformer);

// Copies for extraction (no autograd): dst <- src, shapes must agree.
void copy_into(torch::Tensor dst, const torch::Tensor& src, const std::string& what);
void copy_batch_norm(torch::nn::BatchNorm2d& dst, const ElasticBatchNorm2dImpl& src);

}  // namespace h4h
