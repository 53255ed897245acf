#pragma once
// Elastic layers in the Once-for-All style: each owns the weights of its largest configuration and
// runs a smaller one on a slice of them — the first output channels / features, the first input
// channels (taken from the input), and the centre of each kernel. Slicing the full extent returns
// the tensors themselves (no copy), so the largest configuration costs what a static layer costs.
// The *_slice accessors return exactly what forward uses; a static torch::nn layer holding copies of
// them computes the same function (tests/models/torch/test_elastic_ops.cpp).
//
// Convolutions pad k/2 on each side (TF "same" for the odd kernels the spaces use: output
// ceil(in / stride)), the convention of sim/core's window_output_size.
#include <torch/torch.h>

#include <cstdint>
#include <utility>

#include "models/torch/replica_sync.h"

namespace h4h {

// ---------------------------------------------------------------- conv2d
struct ElasticConv2dOptions {
  ElasticConv2dOptions(int64_t max_in_channels, int64_t max_out_channels, int max_kernel)
      : max_in_channels_(max_in_channels), max_out_channels_(max_out_channels), max_kernel_(max_kernel) {}
  TORCH_ARG(int64_t, max_in_channels);
  TORCH_ARG(int64_t, max_out_channels);
  TORCH_ARG(int, max_kernel);  // odd; smaller kernels are its centre crops
  TORCH_ARG(int, stride) = 1;
  TORCH_ARG(bool, bias) = false;
};

class ElasticConv2dImpl : public torch::nn::Module {
 public:
  explicit ElasticConv2dImpl(const ElasticConv2dOptions& options);
  void reset_parameters();  // Kaiming normal (fan out) weights, zero bias

  // x: [B, in, H, W] with in <= max_in_channels; out_channels <= max; kernel odd, <= max.
  torch::Tensor forward(const torch::Tensor& x, int64_t out_channels, int kernel);
  torch::Tensor weight_slice(int64_t in_channels, int64_t out_channels, int kernel) const;  // [out, in, k, k]
  torch::Tensor bias_slice(int64_t out_channels) const;  // undefined without bias

  ElasticConv2dOptions options;
  torch::Tensor weight, bias;  // [max_out, max_in, max_k, max_k], [max_out]
};
TORCH_MODULE(ElasticConv2d);

// ---------------------------------------------------------------- depthwise conv2d
struct ElasticDepthwiseConv2dOptions {
  ElasticDepthwiseConv2dOptions(int64_t max_channels, int max_kernel)
      : max_channels_(max_channels), max_kernel_(max_kernel) {}
  TORCH_ARG(int64_t, max_channels);
  TORCH_ARG(int, max_kernel);
  TORCH_ARG(int, stride) = 1;
  TORCH_ARG(bool, bias) = false;
};

// Channel multiplier 1; the active channels are the input's, the active kernel the centre crop.
class ElasticDepthwiseConv2dImpl : public torch::nn::Module {
 public:
  explicit ElasticDepthwiseConv2dImpl(const ElasticDepthwiseConv2dOptions& options);
  void reset_parameters();

  torch::Tensor forward(const torch::Tensor& x, int kernel);
  torch::Tensor weight_slice(int64_t channels, int kernel) const;  // [C, 1, k, k]
  torch::Tensor bias_slice(int64_t channels) const;

  ElasticDepthwiseConv2dOptions options;
  torch::Tensor weight, bias;  // [max_C, 1, max_k, max_k], [max_C]
};
TORCH_MODULE(ElasticDepthwiseConv2d);

// ---------------------------------------------------------------- batch norm
struct ElasticBatchNorm2dOptions {
  explicit ElasticBatchNorm2dOptions(int64_t max_features) : max_features_(max_features) {}
  TORCH_ARG(int64_t, max_features);
  TORCH_ARG(double, eps) = 1e-5;
  TORCH_ARG(double, momentum) = 0.1;
};

// Normalises the input's C channels with the first C entries of the affine parameters and running
// statistics. In training mode the batch statistics update exactly that slice of the running
// statistics (the other entries are untouched). While calibrating (begin_calibration), the
// momentum of the t-th training-mode batch is 1/t: the running statistics become the cumulative
// average of the batches' statistics, starting afresh (OFA's BN recalibration). With a replica sum
// set (data-parallel training), training-mode batches outside calibration are normalised with the
// statistics of every replica's batch together (synchronised batch norm, replica_sync.h).
class ElasticBatchNorm2dImpl : public torch::nn::Module {
 public:
  explicit ElasticBatchNorm2dImpl(const ElasticBatchNorm2dOptions& options);
  void reset_parameters();      // weight 1, bias 0, and reset_running_stats()
  void reset_running_stats();   // mean 0, var 1, num_batches_tracked 0

  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight_slice(int64_t c) const;
  torch::Tensor bias_slice(int64_t c) const;
  torch::Tensor running_mean_slice(int64_t c) const;  // views into the buffers
  torch::Tensor running_var_slice(int64_t c) const;

  void begin_calibration();
  void end_calibration();
  bool calibrating() const { return calibration_batches_ >= 0; }
  void set_replica_sum(ReplicaSum sum) { replica_sum_ = std::move(sum); }  // empty: this process alone

  ElasticBatchNorm2dOptions options;
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;

 private:
  int64_t calibration_batches_ = -1;
  ReplicaSum replica_sum_;
};
TORCH_MODULE(ElasticBatchNorm2d);

// ---------------------------------------------------------------- linear
struct ElasticLinearOptions {
  ElasticLinearOptions(int64_t max_in_features, int64_t max_out_features)
      : max_in_features_(max_in_features), max_out_features_(max_out_features) {}
  TORCH_ARG(int64_t, max_in_features);
  TORCH_ARG(int64_t, max_out_features);
  TORCH_ARG(bool, bias) = true;
};

class ElasticLinearImpl : public torch::nn::Module {
 public:
  explicit ElasticLinearImpl(const ElasticLinearOptions& options);
  void reset_parameters();  // normal(0, 0.02) weights, zero bias (ViT's init)

  // x: [..., in] with in <= max_in_features.
  torch::Tensor forward(const torch::Tensor& x, int64_t out_features);
  torch::Tensor weight_slice(int64_t in_features, int64_t out_features) const;  // [out, in]
  torch::Tensor bias_slice(int64_t out_features) const;

  ElasticLinearOptions options;
  torch::Tensor weight, bias;
};
TORCH_MODULE(ElasticLinear);

// ---------------------------------------------------------------- layer norm
struct ElasticLayerNormOptions {
  explicit ElasticLayerNormOptions(int64_t max_features) : max_features_(max_features) {}
  TORCH_ARG(int64_t, max_features);
  TORCH_ARG(double, eps) = 1e-5;
};

// Normalises the last dimension (its size C is the active width) with the first C scales/shifts.
class ElasticLayerNormImpl : public torch::nn::Module {
 public:
  explicit ElasticLayerNormImpl(const ElasticLayerNormOptions& options);
  void reset_parameters();

  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor weight_slice(int64_t c) const;
  torch::Tensor bias_slice(int64_t c) const;

  ElasticLayerNormOptions options;
  torch::Tensor weight, bias;
};
TORCH_MODULE(ElasticLayerNorm);

// The first `n` entries of dimension `dim` (the tensor itself when n is the full size).
torch::Tensor leading(const torch::Tensor& t, int64_t dim, int64_t n);
// The centre k x k of the last two dimensions.
torch::Tensor kernel_centre(const torch::Tensor& w, int kernel);

}  // namespace h4h
