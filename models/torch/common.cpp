#include "models/torch/common.h"

#include <cmath>
#include <stdexcept>

#include "models/zoo/builder.h"

namespace h4h {

torch::Tensor activate(const torch::Tensor& x, ActivationFn fn) {
  switch (fn) {
    case ActivationFn::None: return x;
    case ActivationFn::Relu: return torch::relu(x);
    case ActivationFn::Relu6: return torch::hardtanh(x, 0.0, 6.0);
    case ActivationFn::Swish: return torch::silu(x);
    case ActivationFn::HSwish: return torch::hardswish(x);
    case ActivationFn::Gelu: return torch::gelu(x);
    case ActivationFn::Sigmoid: return torch::sigmoid(x);
    case ActivationFn::HSigmoid: return torch::hardsigmoid(x);
  }
  throw std::invalid_argument("activate: unknown activation function");
}

torch::Tensor channels_last_images(const torch::Tensor& images) {
  require(images.dim() == 4, "channels_last_images: expected [B, C, H, W]");
  if (images.suggest_memory_format() == torch::MemoryFormat::ChannelsLast) return images;
  return torch::empty(images.sizes(), images.options().memory_format(torch::MemoryFormat::ChannelsLast)).copy_(images);
}

torch::Tensor grid_to_tokens(const torch::Tensor& x) {
  require(x.dim() == 4, "grid_to_tokens: expected [B, C, H, W]");
  return x.permute({0, 2, 3, 1}).reshape({x.size(0), x.size(2) * x.size(3), x.size(1)});
}

torch::Tensor tokens_to_grid(const torch::Tensor& tokens, int64_t h, int64_t w) {
  require(tokens.dim() == 3 && tokens.size(1) == h * w, "tokens_to_grid: expected [B, H*W, C]");
  return tokens.reshape({tokens.size(0), h, w, tokens.size(2)}).permute({0, 3, 1, 2});
}

torch::Tensor attention_core(const torch::Tensor& qkv, int64_t heads, int64_t head_dim) {
  const int64_t b = qkv.size(0), n = qkv.size(1);
  require(qkv.dim() == 3 && qkv.size(2) == heads * 3 * head_dim, "attention_core: expected [B, N, heads*3*head_dim]");
  // [B, N, h, 3, d] -> [3, B, h, N, d]
  const auto parts = qkv.view({b, n, heads, 3, head_dim}).permute({3, 0, 2, 1, 4}).unbind(0);
  const torch::Tensor q = parts[0] * (1.0 / std::sqrt(double(head_dim)));
  const torch::Tensor scores = torch::matmul(q, parts[1].transpose(-2, -1)).softmax(-1);  // [B, h, N, N]
  const torch::Tensor out = torch::matmul(scores, parts[2]);  // [B, h, N, d]
  return out.transpose(1, 2).reshape({b, n, heads * head_dim});
}

int64_t mbconv_mid_channels(int64_t in_channels, int expand) {
  return expand == 1 ? in_channels : make_divisible(double(in_channels) * expand, 8);
}

int64_t se_channels(int64_t mid_channels) { return make_divisible(double(mid_channels) / 4, 8); }

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

namespace {

thread_local std::vector<LayerCount>* g_sink = nullptr;

void record(const std::string& name, int64_t macs, int64_t params) { g_sink->push_back(LayerCount{name, macs, params}); }

}  // namespace

CountingScope::CountingScope(std::vector<LayerCount>& sink) : previous_(g_sink) { g_sink = &sink; }
CountingScope::~CountingScope() { g_sink = previous_; }
bool counting_active() { return g_sink != nullptr; }

void count_conv(const std::string& name, const torch::Tensor& out, int64_t in_per_group, int64_t kernel) {
  if (!g_sink) return;
  const int64_t per_image = out.numel() / out.size(0), out_channels = out.size(1);
  const int64_t fan_in = in_per_group * kernel * kernel;
  record(name, per_image * fan_in, out_channels * fan_in + out_channels);
}

void count_linear(const std::string& name, const torch::Tensor& out, int64_t in_features) {
  if (!g_sink) return;
  const int64_t per_image = out.numel() / out.size(0), out_features = out.size(-1);
  record(name, per_image * in_features, in_features * out_features + out_features);
}

void count_layernorm(const std::string& name, int64_t features) {
  if (g_sink) record(name, 0, 2 * features);
}

void count_matmul(const std::string& name, int64_t macs) {
  if (g_sink) record(name, macs, 0);
}

}  // namespace h4h
