#include "models/torch/elastic_ops.h"

#include <string>

#include "models/torch/common.h"

namespace h4h {

torch::Tensor leading(const torch::Tensor& t, int64_t dim, int64_t n) {
  return n == t.size(dim) ? t : t.narrow(dim, 0, n);
}

torch::Tensor kernel_centre(const torch::Tensor& w, int kernel) {
  const int64_t full = w.size(-1);
  if (kernel == full) return w;
  const int64_t start = (full - kernel) / 2;
  return w.narrow(-2, start, kernel).narrow(-1, start, kernel);
}

namespace {

void check_kernel(const char* module, int kernel, int max_kernel) {
  require(kernel >= 1 && kernel % 2 == 1 && kernel <= max_kernel && (max_kernel - kernel) % 2 == 0,
          std::string(module) + ": kernel " + std::to_string(kernel) + " is not an odd centre crop of " +
              std::to_string(max_kernel));
}

void check_extent(const char* module, const char* what, int64_t n, int64_t max) {
  require(n >= 1 && n <= max, std::string(module) + ": " + what + " " + std::to_string(n) + " outside [1, " +
                                  std::to_string(max) + "]");
}

}  // namespace

// ---------------------------------------------------------------- conv2d

ElasticConv2dImpl::ElasticConv2dImpl(const ElasticConv2dOptions& o) : options(o) {
  check_extent("ElasticConv2d", "max_in_channels", o.max_in_channels(), INT64_MAX);
  check_extent("ElasticConv2d", "max_out_channels", o.max_out_channels(), INT64_MAX);
  check_kernel("ElasticConv2d", o.max_kernel(), o.max_kernel());
  require(o.stride() >= 1, "ElasticConv2d: stride must be positive");
  weight = register_parameter(
      "weight", torch::empty({o.max_out_channels(), o.max_in_channels(), o.max_kernel(), o.max_kernel()}));
  if (o.bias()) bias = register_parameter("bias", torch::empty({o.max_out_channels()}));
  reset_parameters();
}

void ElasticConv2dImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  torch::nn::init::kaiming_normal_(weight, 0.0, torch::kFanOut, torch::kReLU);
  if (bias.defined()) bias.zero_();
}

torch::Tensor ElasticConv2dImpl::weight_slice(int64_t in_channels, int64_t out_channels, int kernel) const {
  check_extent("ElasticConv2d", "in_channels", in_channels, options.max_in_channels());
  check_extent("ElasticConv2d", "out_channels", out_channels, options.max_out_channels());
  check_kernel("ElasticConv2d", kernel, options.max_kernel());
  return kernel_centre(leading(leading(weight, 0, out_channels), 1, in_channels), kernel);
}

torch::Tensor ElasticConv2dImpl::bias_slice(int64_t out_channels) const {
  check_extent("ElasticConv2d", "out_channels", out_channels, options.max_out_channels());
  return bias.defined() ? leading(bias, 0, out_channels) : torch::Tensor();
}

torch::Tensor ElasticConv2dImpl::forward(const torch::Tensor& x, int64_t out_channels, int kernel) {
  require(x.dim() == 4, "ElasticConv2d: expected input [B, C, H, W]");
  return torch::conv2d(x, weight_slice(x.size(1), out_channels, kernel), bias_slice(out_channels),
                       options.stride(), kernel / 2);
}

// ---------------------------------------------------------------- depthwise conv2d

ElasticDepthwiseConv2dImpl::ElasticDepthwiseConv2dImpl(const ElasticDepthwiseConv2dOptions& o) : options(o) {
  check_extent("ElasticDepthwiseConv2d", "max_channels", o.max_channels(), INT64_MAX);
  check_kernel("ElasticDepthwiseConv2d", o.max_kernel(), o.max_kernel());
  require(o.stride() >= 1, "ElasticDepthwiseConv2d: stride must be positive");
  weight = register_parameter("weight", torch::empty({o.max_channels(), 1, o.max_kernel(), o.max_kernel()}));
  if (o.bias()) bias = register_parameter("bias", torch::empty({o.max_channels()}));
  reset_parameters();
}

void ElasticDepthwiseConv2dImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  torch::nn::init::kaiming_normal_(weight, 0.0, torch::kFanOut, torch::kReLU);
  if (bias.defined()) bias.zero_();
}

torch::Tensor ElasticDepthwiseConv2dImpl::weight_slice(int64_t channels, int kernel) const {
  check_extent("ElasticDepthwiseConv2d", "channels", channels, options.max_channels());
  check_kernel("ElasticDepthwiseConv2d", kernel, options.max_kernel());
  return kernel_centre(leading(weight, 0, channels), kernel);
}

torch::Tensor ElasticDepthwiseConv2dImpl::bias_slice(int64_t channels) const {
  check_extent("ElasticDepthwiseConv2d", "channels", channels, options.max_channels());
  return bias.defined() ? leading(bias, 0, channels) : torch::Tensor();
}

torch::Tensor ElasticDepthwiseConv2dImpl::forward(const torch::Tensor& x, int kernel) {
  require(x.dim() == 4, "ElasticDepthwiseConv2d: expected input [B, C, H, W]");
  const int64_t c = x.size(1);
  return torch::conv2d(x, weight_slice(c, kernel), bias_slice(c), options.stride(), kernel / 2, 1, c);
}

// ---------------------------------------------------------------- batch norm

ElasticBatchNorm2dImpl::ElasticBatchNorm2dImpl(const ElasticBatchNorm2dOptions& o) : options(o) {
  check_extent("ElasticBatchNorm2d", "max_features", o.max_features(), INT64_MAX);
  weight = register_parameter("weight", torch::empty({o.max_features()}));
  bias = register_parameter("bias", torch::empty({o.max_features()}));
  running_mean = register_buffer("running_mean", torch::empty({o.max_features()}));
  running_var = register_buffer("running_var", torch::empty({o.max_features()}));
  num_batches_tracked = register_buffer("num_batches_tracked", torch::zeros({}, torch::kLong));
  reset_parameters();
}

void ElasticBatchNorm2dImpl::reset_running_stats() {
  torch::NoGradGuard no_grad;
  running_mean.zero_();
  running_var.fill_(1);
  num_batches_tracked.zero_();
}

void ElasticBatchNorm2dImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  weight.fill_(1);
  bias.zero_();
  reset_running_stats();
}

torch::Tensor ElasticBatchNorm2dImpl::weight_slice(int64_t c) const {
  check_extent("ElasticBatchNorm2d", "channels", c, options.max_features());
  return leading(weight, 0, c);
}
torch::Tensor ElasticBatchNorm2dImpl::bias_slice(int64_t c) const {
  check_extent("ElasticBatchNorm2d", "channels", c, options.max_features());
  return leading(bias, 0, c);
}
torch::Tensor ElasticBatchNorm2dImpl::running_mean_slice(int64_t c) const {
  check_extent("ElasticBatchNorm2d", "channels", c, options.max_features());
  return leading(running_mean, 0, c);
}
torch::Tensor ElasticBatchNorm2dImpl::running_var_slice(int64_t c) const {
  check_extent("ElasticBatchNorm2d", "channels", c, options.max_features());
  return leading(running_var, 0, c);
}

void ElasticBatchNorm2dImpl::begin_calibration() { calibration_batches_ = 0; }
void ElasticBatchNorm2dImpl::end_calibration() { calibration_batches_ = -1; }

torch::Tensor ElasticBatchNorm2dImpl::forward(const torch::Tensor& x) {
  require(x.dim() == 4, "ElasticBatchNorm2d: expected input [B, C, H, W]");
  const int64_t c = x.size(1);
  check_extent("ElasticBatchNorm2d", "channels", c, options.max_features());
  // The running-stat slices are views from offset 0 of contiguous buffers: batch_norm's in-place
  // update of them lands in the first c entries of the buffers.
  torch::Tensor mean = running_mean_slice(c), var = running_var_slice(c);
  double momentum = options.momentum();
  if (is_training() && !calibrating() && replica_sum_) {
    {
      torch::NoGradGuard no_grad;
      num_batches_tracked.add_(1);
    }
    return sync_batch_norm(x, weight_slice(c), bias_slice(c), mean, var, momentum, options.eps(), replica_sum_);
  }
  if (is_training()) {
    torch::NoGradGuard no_grad;
    num_batches_tracked.add_(1);
    if (calibrating()) {
      if (++calibration_batches_ == 1) {
        mean.zero_();
        var.fill_(1);
      }
      // The count of this calibration alone: the statistics must not depend on what the process
      // calibrated before (a resumed search writes the subnets of an uninterrupted one).
      num_batches_tracked.fill_(calibration_batches_);
      momentum = 1.0 / double(calibration_batches_);
    }
  }
  return torch::batch_norm(x, weight_slice(c), bias_slice(c), mean, var, is_training(), momentum, options.eps(),
                           /*cudnn_enabled=*/true);
}

// ---------------------------------------------------------------- linear

ElasticLinearImpl::ElasticLinearImpl(const ElasticLinearOptions& o) : options(o) {
  check_extent("ElasticLinear", "max_in_features", o.max_in_features(), INT64_MAX);
  check_extent("ElasticLinear", "max_out_features", o.max_out_features(), INT64_MAX);
  weight = register_parameter("weight", torch::empty({o.max_out_features(), o.max_in_features()}));
  if (o.bias()) bias = register_parameter("bias", torch::empty({o.max_out_features()}));
  reset_parameters();
}

void ElasticLinearImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  weight.normal_(0.0, 0.02);
  if (bias.defined()) bias.zero_();
}

torch::Tensor ElasticLinearImpl::weight_slice(int64_t in_features, int64_t out_features) const {
  check_extent("ElasticLinear", "in_features", in_features, options.max_in_features());
  check_extent("ElasticLinear", "out_features", out_features, options.max_out_features());
  return leading(leading(weight, 0, out_features), 1, in_features);
}

torch::Tensor ElasticLinearImpl::bias_slice(int64_t out_features) const {
  check_extent("ElasticLinear", "out_features", out_features, options.max_out_features());
  return bias.defined() ? leading(bias, 0, out_features) : torch::Tensor();
}

torch::Tensor ElasticLinearImpl::forward(const torch::Tensor& x, int64_t out_features) {
  return torch::linear(x, weight_slice(x.size(-1), out_features), bias_slice(out_features));
}

// ---------------------------------------------------------------- layer norm

ElasticLayerNormImpl::ElasticLayerNormImpl(const ElasticLayerNormOptions& o) : options(o) {
  check_extent("ElasticLayerNorm", "max_features", o.max_features(), INT64_MAX);
  weight = register_parameter("weight", torch::empty({o.max_features()}));
  bias = register_parameter("bias", torch::empty({o.max_features()}));
  reset_parameters();
}

void ElasticLayerNormImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  weight.fill_(1);
  bias.zero_();
}

torch::Tensor ElasticLayerNormImpl::weight_slice(int64_t c) const {
  check_extent("ElasticLayerNorm", "features", c, options.max_features());
  return leading(weight, 0, c);
}
torch::Tensor ElasticLayerNormImpl::bias_slice(int64_t c) const {
  check_extent("ElasticLayerNorm", "features", c, options.max_features());
  return leading(bias, 0, c);
}

torch::Tensor ElasticLayerNormImpl::forward(const torch::Tensor& x) {
  const int64_t c = x.size(-1);
  return torch::layer_norm(x, {c}, weight_slice(c), bias_slice(c), options.eps());
}

}  // namespace h4h
