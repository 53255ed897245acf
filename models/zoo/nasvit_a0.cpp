// NASViT "A0": the smallest subnet of NASViT's hybrid CNN + transformer supernet, 192 x 192
// (Gong et al., "NASViT: Neural Architecture Search for Efficient Vision Transformers with
// Gradient Conflict-aware Supernet Training", ICLR 2022).
//
// Config, from the public facebookresearch/NASViT code (min of every choice, as
// AttentiveNasDynamicModel.sample_min_subnet() picks it):
//   misc/config.py supernet_config (choices -> min):
//     resolution [192..288] -> 192;   first_conv c [16, 24] -> 16, 3x3 s2, swish
//     mb1 c [16, 24] -> 16, d [1, 2] -> 1, k [3, 5] -> 3, t [1], s1
//     mb2 c [24, 32] -> 24, d [3..5] -> 3, k -> 3, t [4..6] -> 4, s2
//     mb3 c [32, 40] -> 32, d [3..6] -> 3, k 3, t -> 4, s2, SE
//     mb4 c [64, 72] -> 64, d [3..6] -> 3, k 3, t -> 4, s2
//     mb5 c [112..128] -> 112, d [3..9] -> 3, k 3, t -> 4, s2, SE
//     mb6 c [160..184] -> 160, d [3..8] -> 3, k 3, t [6], s1, SE
//     mb7 c [208..224] -> 208, d [3..6] -> 3, k 3, t [6], s2, SE
//     last_conv c [1792, 1984] -> 1792, use_v3_head; all activations swish
//   models/attentive_nas_dynamic_model.py: in stages mb4-mb7 block 0 is an MBConv (the
//     downsampling one) and blocks >= 1 are transformer blocks; v3 head = 1x1 conv to 6x the
//     width (BN, swish), global pool, 1x1 conv to 1792 (swish, no BN, no bias), linear classifier.
//   models/modules/dynamic_layers.py, static_layers.py: MBConv = 1x1 expand to
//     make_divisible(in * t, 8) (absent for t = 1), kxk depthwise, SE (reduce to
//     make_divisible(mid / 4, 8) with relu, expand with hsigmoid), 1x1 point_linear (BN, no act);
//     every block adds a shortcut: identity, or avgpool(stride) and a bias-free 1x1 conv.
//   models/modules/transformer.py (DynamicSwinTransformerBlock, DynamicWindowAttention): head
//     dim 8 (C / 8 heads); q, k: C -> C, v: C -> 4C followed by a 3x3 depthwise conv (no bias);
//     q.k^T, + relative position bias, talking heads (proj_l before and proj_w after the
//     softmax: linears across heads), attn.v, swish, proj 4C -> C; then two MLPs (hidden C,
//     swish), each pre-norm with a residual add. No window partition (shift = False), so
//     attention is global over the H x W tokens.
// Simplified: the per-channel rescale_attn / rescale_mlp factors before the residual adds (they
// fold into proj / fc2) are omitted; the relative position bias is an operand read from memory,
// so its table is not counted as parameters.
//
// Count vs the paper: this builds 189.8M MACs and 8.21M params; the NASViT paper lists NASViT-A0
// at 208 MFLOPs (no params). A0 is a subnet found by evolutionary search, and the paper's
// per-stage configs (appendix) cover A1-A4 only (facebookresearch/NASViT issue #9), so A0's
// exact choices are not public; the 8.8% gap is not forced away here.
#include <cmath>

#include "models/zoo/builder.h"
#include "models/zoo/zoo.h"

namespace h4h {

namespace {

using T = NetworkBuilder::Tensor;
const ActivationFn kSwish = ActivationFn::Swish;

void mbconv(NetworkBuilder& b, const std::string& name, int64_t out, int expand, int stride, bool se) {
  auto s = b.scope(name);
  const T in = b.current();
  const int64_t mid = expand == 1 ? in.shape.c : make_divisible(std::round(double(in.shape.c) * expand), 8);
  if (expand != 1) b.conv("inverted_bottleneck", mid, 1, 1, kSwish);
  const T x = b.depthwise("depth_conv", 3, stride, kSwish);
  if (se) {
    auto s2 = b.scope("depth_conv.se");
    b.global_avgpool("pool");
    b.conv("reduce", make_divisible(double(mid / 4), 8), 1, 1, ActivationFn::Relu);
    const T gate = b.conv("expand", mid, 1, 1, ActivationFn::HSigmoid);
    b.set_current(x);
    b.mul("scale", gate);
  }
  const T y = b.conv("point_linear", out, 1);
  T shortcut = in;
  if (stride != 1 || in.shape.c != out) {
    b.set_current(in);
    if (stride != 1) b.avgpool("shortcut.pool", stride, stride);
    if (in.shape.c != out) b.conv("shortcut.conv", out, 1, 1, ActivationFn::None, 1, false);
    shortcut = b.current();
    b.set_current(y);
  }
  b.add("add", shortcut);
}

// Splits a token tensor [1, N, heads * d] into heads: [heads, N, d].
T split_heads(NetworkBuilder& b, const std::string& name, int64_t heads) {
  const Shape s = b.current().shape;
  b.reshape(name + "_split", Shape{s.w, heads, s.c / heads});
  return b.transpose(name + "_heads", 1, 0, 2);
}

void mlp(NetworkBuilder& b, const std::string& norm, const std::string& name, const std::string& add) {
  const T x = b.current();
  b.layernorm(norm);
  b.linear(name + ".linear1", x.shape.c, kSwish);
  b.linear(name + ".linear2", x.shape.c);
  b.add(add, x);
}

void transformer(NetworkBuilder& b, const std::string& name) {
  auto s = b.scope(name);
  const Shape grid = b.current().shape;
  const int64_t N = grid.h * grid.w, C = grid.c, heads = C / 8, v_dim = 4 * C;
  const T x = b.reshape("to_tokens", Shape{1, N, C});
  const T normed = b.layernorm("norm1");
  {
    auto a = b.scope("attn");
    b.linear("q", C);
    const T q = split_heads(b, "q", heads);
    b.set_current(normed);
    b.linear("k", C);
    const T k = split_heads(b, "k", heads);
    b.set_current(normed);
    b.linear("v", v_dim);
    b.reshape("v_grid", Shape{grid.h, grid.w, v_dim});
    b.depthwise("vconv", 3, 1, ActivationFn::None, false);
    b.reshape("v_tokens", Shape{1, N, v_dim});
    const T v = split_heads(b, "v", heads);

    b.matmul("q_kt", q, k, heads, N, 8, N);  // [heads, N, N]
    b.add("rel_pos_bias", NetworkBuilder::from_memory(Shape{heads, N, N}));
    b.transpose("heads_last_l", 1, 2, 0);    // talking heads: a linear across heads
    b.linear("proj_l", heads);
    b.transpose("heads_first_l", 2, 0, 1);
    b.softmax("softmax");
    b.transpose("heads_last_w", 1, 2, 0);
    b.linear("proj_w", heads);
    const T attn = b.transpose("heads_first_w", 2, 0, 1);
    b.matmul("attn_v", attn, v, heads, N, N, v_dim / heads);  // [heads, N, 32]
    b.transpose("merge_heads", 1, 0, 2);
    b.reshape("merge", Shape{1, N, v_dim});
    b.act("act", kSwish);
    b.linear("proj", C);
  }
  b.add("add_attn", x);
  mlp(b, "norm3", "mlp2", "add_mlp2");  // NASViT applies mlp2 (norm3) before mlp1 (norm2)
  mlp(b, "norm2", "mlp1", "add_mlp1");
  b.reshape("to_grid", grid);
}

struct Stage {
  int64_t width;
  int depth, expand, stride;
  bool se;
};

}  // namespace

Workload build_nasvit_a0() {
  const Stage stages[] = {{16, 1, 1, 1, false},  {24, 3, 4, 2, false}, {32, 3, 4, 2, true},
                          {64, 3, 4, 2, false},  {112, 3, 4, 2, true}, {160, 3, 6, 1, true},
                          {208, 3, 6, 2, true}};
  NetworkBuilder b("nasvit_a0", Shape{192, 192, 3});
  b.conv("first_conv", 16, 3, 2, kSwish);
  for (int i = 0; i < 7; ++i) {
    const Stage& st = stages[i];
    const std::string stage = "mb" + std::to_string(i + 1) + ".";
    for (int j = 0; j < st.depth; ++j) {
      if (i >= 3 && j >= 1)
        transformer(b, stage + std::to_string(j));
      else
        mbconv(b, stage + std::to_string(j), st.width, st.expand, j == 0 ? st.stride : 1, st.se);
    }
  }
  const int64_t width = b.current().shape.c;
  b.conv("last_conv.final_expand_layer", 6 * width, 1, 1, kSwish);
  b.global_avgpool("last_conv.pool");
  b.conv("last_conv.feature_mix_layer", 1792, 1, 1, kSwish, 1, false);
  b.linear("classifier", 1000);
  return b.build();
}

}  // namespace h4h
