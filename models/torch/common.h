#pragma once
// Pieces shared by the elastic (supernet) and the static (extracted) modules, so that both compute
// one function with the same ops: activations, grid <-> token reshapes, the attention core, and the
// per-layer MAC/parameter counter the supernet fills from the shapes its forward actually produces.
#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/workload.h"

namespace h4h {

// The space's activation function (ActivationFn::None: identity).
torch::Tensor activate(const torch::Tensor& x, ActivationFn fn);

// Images [B, C, H, W] with channels-last strides even when C == 1. Tensor::contiguous(ChannelsLast)
// leaves a one-channel NCHW tensor as it is (both layouts are contiguous), and convolutions then
// infer NCHW from its strides: every later activation of the network would stay NCHW.
torch::Tensor channels_last_images(const torch::Tensor& images);

// A feature grid [B, C, H, W] as tokens [B, H*W, C] (row-major over H, W, as arch_workload's
// reshape); a view when x is channels-last. tokens_to_grid inverts it (channels-last strides).
torch::Tensor grid_to_tokens(const torch::Tensor& x);
torch::Tensor tokens_to_grid(const torch::Tensor& tokens, int64_t h, int64_t w);

// Multi-head self-attention on a fused projection qkv [B, N, heads * 3 * head_dim] laid out head by
// head (per head: q, k, v, each head_dim wide): per head softmax(q k^T / sqrt(head_dim)) v, merged
// back to [B, N, heads * head_dim] (head-major, as the projection's input columns).
torch::Tensor attention_core(const torch::Tensor& qkv, int64_t heads, int64_t head_dim);

// MBConv widths, as arch_workload defines them: the expanded width (the input's when expand is 1)
// and the squeeze-excite bottleneck.
int64_t mbconv_mid_channels(int64_t in_channels, int expand);
int64_t se_channels(int64_t mid_channels);

// Throws std::invalid_argument("<what>") unless `ok` (module-level contract checks; user input is
// validated earlier, by validate_arch, with InputError).
void require(bool ok, const std::string& what);

// ---- counting MACs and parameters from the shapes a forward produces ----
// Conventions match sim/core's count_layer for batch 1: a conv or linear counts its weights plus
// one bias per output channel (a BatchNorm folds into that bias), a layernorm its scale and shift,
// a matmul batch * m * k * n MACs. Counts are per image (the output's first dimension divides out).
struct LayerCount {
  std::string name;
  int64_t macs = 0, params = 0;
};

// While a CountingScope is alive on a thread, the supernet's modules running on that thread
// append one LayerCount per weighted layer and matmul, in execution order.
class CountingScope {
 public:
  explicit CountingScope(std::vector<LayerCount>& sink);
  ~CountingScope();
  CountingScope(const CountingScope&) = delete;
  CountingScope& operator=(const CountingScope&) = delete;

 private:
  std::vector<LayerCount>* previous_;
};
bool counting_active();

// `out` is the layer's output; conv: NCHW, `in_per_group` input channels per group; linear: the
// last dimension is out_features. No-ops when no CountingScope is alive.
void count_conv(const std::string& name, const torch::Tensor& out, int64_t in_per_group, int64_t kernel);
void count_linear(const std::string& name, const torch::Tensor& out, int64_t in_features);
void count_layernorm(const std::string& name, int64_t features);
void count_matmul(const std::string& name, int64_t macs);

}  // namespace h4h
