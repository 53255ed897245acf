#include "models/torch/elastic_blocks.h"

#include <algorithm>

#include "models/torch/common.h"

namespace h4h {

namespace {

std::string join(const std::string& prefix, const char* leaf) { return prefix.empty() ? leaf : prefix + "." + leaf; }

ElasticBatchNorm2d batch_norm(int64_t channels, const NormOptions& n) {
  return ElasticBatchNorm2d(ElasticBatchNorm2dOptions(channels).eps(n.bn_eps).momentum(n.bn_momentum));
}

}  // namespace

void copy_into(torch::Tensor dst, const torch::Tensor& src, const std::string& what) {
  require(dst.sizes() == src.sizes(), "extract: shape mismatch copying " + what);
  torch::NoGradGuard no_grad;
  dst.copy_(src);
}

void copy_batch_norm(torch::nn::BatchNorm2d& dst, const ElasticBatchNorm2dImpl& src) {
  const int64_t c = dst->options.num_features();
  copy_into(dst->weight, src.weight_slice(c), "batch norm weight");
  copy_into(dst->bias, src.bias_slice(c), "batch norm bias");
  copy_into(dst->running_mean, src.running_mean_slice(c), "batch norm running mean");
  copy_into(dst->running_var, src.running_var_slice(c), "batch norm running var");
  copy_into(dst->num_batches_tracked, src.num_batches_tracked, "batch norm batch count");
}

// ---------------------------------------------------------------- MBConv slot

ElasticMBConvImpl::ElasticMBConvImpl(const ElasticMBConvOptions& o) : options(o) {
  require(!o.expands().empty(), "ElasticMBConv: no expansion ratios");
  require(o.max_in_channels() >= 1 && o.max_out_channels() >= 1, "ElasticMBConv: widths must be positive");
  bool any_expand = false;
  for (int e : o.expands()) {
    require(e >= 1, "ElasticMBConv: expansion ratios must be positive");
    any_expand |= e != 1;
    // make_divisible is not monotonic in general: take the maximum over every input width.
    for (int64_t in = 1; in <= o.max_in_channels(); ++in)
      max_mid_channels = std::max(max_mid_channels, mbconv_mid_channels(in, e));
  }
  const NormOptions& n = o.norm();
  if (any_expand) {
    expand = register_module("expand", ElasticConv2d(ElasticConv2dOptions(o.max_in_channels(), max_mid_channels, 1)));
    expand_bn = register_module("expand_bn", batch_norm(max_mid_channels, n));
  }
  depthwise = register_module(
      "depthwise",
      ElasticDepthwiseConv2d(ElasticDepthwiseConv2dOptions(max_mid_channels, o.max_kernel()).stride(o.stride())));
  depthwise_bn = register_module("depthwise_bn", batch_norm(max_mid_channels, n));
  if (o.se()) {
    for (int64_t mid = 1; mid <= max_mid_channels; ++mid) max_se_channels = std::max(max_se_channels, se_channels(mid));
    se_reduce = register_module(
        "se_reduce", ElasticConv2d(ElasticConv2dOptions(max_mid_channels, max_se_channels, 1).bias(true)));
    se_expand = register_module(
        "se_expand", ElasticConv2d(ElasticConv2dOptions(max_se_channels, max_mid_channels, 1).bias(true)));
  }
  project = register_module("project", ElasticConv2d(ElasticConv2dOptions(max_mid_channels, o.max_out_channels(), 1)));
  project_bn = register_module("project_bn", batch_norm(o.max_out_channels(), n));
  active_.kernel = o.max_kernel();
  active_.expand = *std::max_element(o.expands().begin(), o.expands().end());
  active_.se = o.se();
  active_out_ = o.max_out_channels();
}

void ElasticMBConvImpl::set_active(const BlockConfig& b, int64_t out_channels) {
  const std::string where = "ElasticMBConv " + options.name() + ": ";
  require(b.type == BlockType::MBConv, where + "block is not an MBConv");
  require(b.kernel >= 1 && b.kernel <= options.max_kernel() && (options.max_kernel() - b.kernel) % 2 == 0,
          where + "kernel " + std::to_string(b.kernel) + " is not a centre crop of " +
              std::to_string(options.max_kernel()));
  require(std::find(options.expands().begin(), options.expands().end(), b.expand) != options.expands().end(),
          where + "expansion " + std::to_string(b.expand) + " is not a choice of this slot");
  require(!b.se || options.se(), where + "squeeze-excite is not a choice of this slot");
  require(out_channels >= 1 && out_channels <= options.max_out_channels(),
          where + "width " + std::to_string(out_channels) + " exceeds " + std::to_string(options.max_out_channels()));
  active_ = b;
  active_out_ = out_channels;
}

torch::Tensor ElasticMBConvImpl::forward(const torch::Tensor& x) {
  const std::string& name = options.name();
  const ActivationFn act = options.activation();
  const int64_t in = x.size(1), mid = mbconv_mid_channels(in, active_.expand);
  torch::Tensor h = x;
  if (active_.expand != 1) {
    h = expand(h, mid, 1);
    count_conv(join(name, "expand"), h, in, 1);
    h = activate(expand_bn(h), act);
  }
  h = depthwise(h, active_.kernel);
  count_conv(join(name, "depthwise"), h, 1, active_.kernel);
  h = activate(depthwise_bn(h), act);
  if (active_.se) {
    const int64_t se = se_channels(mid);
    torch::Tensor s = se_reduce(h.mean({2, 3}, /*keepdim=*/true), se, 1);
    count_conv(join(name, "se.reduce"), s, mid, 1);
    s = se_expand(activate(s, ActivationFn::Relu), mid, 1);
    count_conv(join(name, "se.expand"), s, se, 1);
    h = h * activate(s, ActivationFn::HSigmoid);
  }
  h = project(h, active_out_, 1);
  count_conv(join(name, "project"), h, mid, 1);
  h = project_bn(h);
  if (options.stride() == 1 && in == active_out_) h = h + x;
  return h;
}

StaticMBConv ElasticMBConvImpl::extract(int64_t in) const {
  StaticMBConv s(StaticMBConvOptions(in, active_out_, active_)
                     .stride(options.stride())
                     .activation(options.activation())
                     .norm(options.norm()));
  const int64_t mid = s->mid_channels;
  if (s->expand) {
    copy_into(s->expand->weight, expand->weight_slice(in, mid, 1), "expand weight");
    copy_batch_norm(s->expand_bn, *expand_bn);
  }
  copy_into(s->depthwise->weight, depthwise->weight_slice(mid, active_.kernel), "depthwise weight");
  copy_batch_norm(s->depthwise_bn, *depthwise_bn);
  if (s->se_reduce) {
    const int64_t se = se_channels(mid);
    copy_into(s->se_reduce->weight, se_reduce->weight_slice(mid, se, 1), "se reduce weight");
    copy_into(s->se_reduce->bias, se_reduce->bias_slice(se), "se reduce bias");
    copy_into(s->se_expand->weight, se_expand->weight_slice(se, mid, 1), "se expand weight");
    copy_into(s->se_expand->bias, se_expand->bias_slice(mid), "se expand bias");
  }
  copy_into(s->project->weight, project->weight_slice(mid, active_out_, 1), "project weight");
  copy_batch_norm(s->project_bn, *project_bn);
  s->train(is_training());
  return s;
}

// ---------------------------------------------------------------- attention

ElasticAttentionImpl::ElasticAttentionImpl(const ElasticAttentionOptions& o) : options(o) {
  require(o.max_width() >= 1 && o.max_heads() >= 1 && o.max_head_dim() >= 1,
          "ElasticAttention: sizes must be positive");
  const int64_t inner = int64_t(o.max_heads()) * o.max_head_dim();
  qkv_weight = register_parameter("qkv_weight", torch::empty({3 * inner, o.max_width()}));
  qkv_bias = register_parameter("qkv_bias", torch::empty({3 * inner}));
  proj_weight = register_parameter("proj_weight", torch::empty({o.max_width(), inner}));
  proj_bias = register_parameter("proj_bias", torch::empty({o.max_width()}));
  reset_parameters();
}

void ElasticAttentionImpl::reset_parameters() {
  torch::NoGradGuard no_grad;
  qkv_weight.normal_(0.0, 0.02);
  qkv_bias.zero_();
  proj_weight.normal_(0.0, 0.02);
  proj_bias.zero_();
}

namespace {

void check_heads(const ElasticAttentionOptions& o, int64_t width, int heads, int head_dim) {
  require(width >= 1 && width <= o.max_width() && heads >= 1 && heads <= o.max_heads() && head_dim >= 1 &&
              head_dim <= o.max_head_dim(),
          "ElasticAttention: width " + std::to_string(width) + ", " + std::to_string(heads) + " heads of " +
              std::to_string(head_dim) + " exceed the maximum (" + std::to_string(o.max_width()) + ", " +
              std::to_string(o.max_heads()) + " x " + std::to_string(o.max_head_dim()) + ")");
}

}  // namespace

torch::Tensor ElasticAttentionImpl::qkv_weight_slice(int64_t width, int heads, int head_dim) const {
  const auto& o = options;
  check_heads(o, width, heads, head_dim);
  if (head_dim == o.max_head_dim()) return leading(leading(qkv_weight, 0, int64_t(heads) * 3 * head_dim), 1, width);
  return qkv_weight.view({o.max_heads(), 3, o.max_head_dim(), o.max_width()})
      .narrow(0, 0, heads)
      .narrow(2, 0, head_dim)
      .narrow(3, 0, width)
      .reshape({int64_t(heads) * 3 * head_dim, width});
}

torch::Tensor ElasticAttentionImpl::qkv_bias_slice(int heads, int head_dim) const {
  const auto& o = options;
  check_heads(o, 1, heads, head_dim);
  if (head_dim == o.max_head_dim()) return leading(qkv_bias, 0, int64_t(heads) * 3 * head_dim);
  return qkv_bias.view({o.max_heads(), 3, o.max_head_dim()})
      .narrow(0, 0, heads)
      .narrow(2, 0, head_dim)
      .reshape({int64_t(heads) * 3 * head_dim});
}

torch::Tensor ElasticAttentionImpl::proj_weight_slice(int64_t width, int heads, int head_dim) const {
  const auto& o = options;
  check_heads(o, width, heads, head_dim);
  if (head_dim == o.max_head_dim()) return leading(leading(proj_weight, 0, width), 1, int64_t(heads) * head_dim);
  return proj_weight.view({o.max_width(), o.max_heads(), o.max_head_dim()})
      .narrow(0, 0, width)
      .narrow(1, 0, heads)
      .narrow(2, 0, head_dim)
      .reshape({width, int64_t(heads) * head_dim});
}

torch::Tensor ElasticAttentionImpl::proj_bias_slice(int64_t width) const {
  check_heads(options, width, 1, 1);
  return leading(proj_bias, 0, width);
}

torch::Tensor ElasticAttentionImpl::forward(const torch::Tensor& tokens, int heads, int head_dim,
                                            const std::string& name) {
  require(tokens.dim() == 3, "ElasticAttention: expected tokens [B, N, C]");
  const int64_t n = tokens.size(1), c = tokens.size(2);
  const torch::Tensor qkv = torch::linear(tokens, qkv_weight_slice(c, heads, head_dim), qkv_bias_slice(heads, head_dim));
  count_linear(join(name, "qkv"), qkv, c);
  const torch::Tensor merged = attention_core(qkv, heads, head_dim);
  count_matmul(join(name, "q_kt"), int64_t(heads) * n * head_dim * n);
  count_matmul(join(name, "attn_v"), int64_t(heads) * n * n * head_dim);
  torch::Tensor out = torch::linear(merged, proj_weight_slice(c, heads, head_dim), proj_bias_slice(c));
  count_linear(join(name, "proj"), out, int64_t(heads) * head_dim);
  return out;
}

// ---------------------------------------------------------------- transformer slot

ElasticTransformerImpl::ElasticTransformerImpl(const ElasticTransformerOptions& o) : options(o) {
  require(o.max_mlp_ratio() >= 1, "ElasticTransformer: MLP ratio must be positive");
  const int64_t c = o.max_width(), hidden = int64_t(o.max_mlp_ratio()) * c;
  norm1 = register_module("norm1", ElasticLayerNorm(ElasticLayerNormOptions(c).eps(o.norm().ln_eps)));
  attention = register_module("attention",
                              ElasticAttention(ElasticAttentionOptions(c, o.max_heads(), o.max_head_dim())));
  norm2 = register_module("norm2", ElasticLayerNorm(ElasticLayerNormOptions(c).eps(o.norm().ln_eps)));
  fc1 = register_module("fc1", ElasticLinear(ElasticLinearOptions(c, hidden)));
  fc2 = register_module("fc2", ElasticLinear(ElasticLinearOptions(hidden, c)));
  active_.type = BlockType::Transformer;
  active_.heads = o.max_heads();
  active_.head_dim = o.max_head_dim();
  active_.mlp_ratio = o.max_mlp_ratio();
}

void ElasticTransformerImpl::set_active(const BlockConfig& b) {
  const std::string where = "ElasticTransformer " + options.name() + ": ";
  require(b.type == BlockType::Transformer, where + "block is not a transformer");
  require(b.heads >= 1 && b.heads <= options.max_heads() && b.head_dim >= 1 && b.head_dim <= options.max_head_dim() &&
              b.mlp_ratio >= 1 && b.mlp_ratio <= options.max_mlp_ratio(),
          where + "heads/head_dim/mlp_ratio beyond the slot's maximum");
  active_ = b;
}

torch::Tensor ElasticTransformerImpl::forward(const torch::Tensor& x) {
  require(x.dim() == 4, "ElasticTransformer: expected input [B, C, H, W]");
  const std::string& name = options.name();
  const int64_t c = x.size(1);
  torch::Tensor t = grid_to_tokens(x);
  torch::Tensor n = norm1(t);
  count_layernorm(join(name, "norm1"), c);
  t = t + attention(n, active_.heads, active_.head_dim, name);
  n = norm2(t);
  count_layernorm(join(name, "norm2"), c);
  torch::Tensor m = fc1(n, int64_t(active_.mlp_ratio) * c);
  count_linear(join(name, "fc1"), m, c);
  m = fc2(activate(m, options.activation()), c);
  count_linear(join(name, "fc2"), m, int64_t(active_.mlp_ratio) * c);
  return tokens_to_grid(t + m, x.size(2), x.size(3));
}

StaticTransformer ElasticTransformerImpl::extract(int64_t c) const {
  StaticTransformer s(StaticTransformerOptions(c, active_).activation(options.activation()).norm(options.norm()));
  const int h = active_.heads, d = active_.head_dim;
  const int64_t hidden = int64_t(active_.mlp_ratio) * c;
  copy_into(s->norm1->weight, norm1->weight_slice(c), "norm1 weight");
  copy_into(s->norm1->bias, norm1->bias_slice(c), "norm1 bias");
  copy_into(s->qkv->weight, attention->qkv_weight_slice(c, h, d), "qkv weight");
  copy_into(s->qkv->bias, attention->qkv_bias_slice(h, d), "qkv bias");
  copy_into(s->proj->weight, attention->proj_weight_slice(c, h, d), "proj weight");
  copy_into(s->proj->bias, attention->proj_bias_slice(c), "proj bias");
  copy_into(s->norm2->weight, norm2->weight_slice(c), "norm2 weight");
  copy_into(s->norm2->bias, norm2->bias_slice(c), "norm2 bias");
  copy_into(s->fc1->weight, fc1->weight_slice(c, hidden), "fc1 weight");
  copy_into(s->fc1->bias, fc1->bias_slice(hidden), "fc1 bias");
  copy_into(s->fc2->weight, fc2->weight_slice(hidden, c), "fc2 weight");
  copy_into(s->fc2->bias, fc2->bias_slice(c), "fc2 bias");
  s->train(is_training());
  return s;
}

}  // namespace h4h
