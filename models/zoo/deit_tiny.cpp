// DeiT-Tiny, 224 x 224 (Touvron et al., ICML 2021; timm deit_tiny_patch16_224): 16 x 16 patches
// (196) plus the cls token = 197 tokens of 192 channels, 12 blocks of 3-head attention (head dim
// 64) and a 4x GELU MLP, pre-norm with residual adds, final layernorm, head on the cls token.
// The cls token and position embedding are operands read from memory (their 37,824 parameters
// are not counted: the workload counts parameters of conv, linear and layernorm layers only).
#include "models/zoo/builder.h"
#include "models/zoo/zoo.h"

namespace h4h {

Workload build_deit_tiny() {
  const int64_t dim = 192, heads = 3, head_dim = dim / heads, depth = 12, mlp_hidden = 4 * dim;
  NetworkBuilder b("deit_tiny", Shape{224, 224, 3});
  b.conv("patch_embed.proj", dim, 16, 16, ActivationFn::None, 1, true, Padding::Valid);
  const NetworkBuilder::Tensor patches = b.reshape("patch_embed.flatten", Shape{1, 196, dim});
  b.set_current(NetworkBuilder::from_memory(Shape{1, 1, dim}));  // cls token first, as in timm
  b.concat("cls_token", {patches}, 1);
  const int64_t T = b.current().shape.w;  // 197
  b.add("pos_embed", NetworkBuilder::from_memory(Shape{1, T, dim}));

  for (int i = 0; i < depth; ++i) {
    auto s = b.scope("blocks." + std::to_string(i));
    const NetworkBuilder::Tensor x = b.current();
    b.layernorm("norm1");
    {
      auto a = b.scope("attn");
      b.linear("qkv", 3 * dim);
      b.reshape("qkv_split", Shape{T, 3 * heads, head_dim});
      const NetworkBuilder::Tensor qkv = b.transpose("qkv_heads", 1, 0, 2);  // [q0..q2 k0..k2 v0..v2, T, 64]
      b.matmul("q_kt", qkv, qkv, heads, T, head_dim, T);                      // [heads, T, T]
      const NetworkBuilder::Tensor attn = b.softmax("softmax");
      b.matmul("attn_v", attn, qkv, heads, T, T, head_dim);                   // [heads, T, 64]
      b.transpose("merge_heads", 1, 0, 2);
      b.reshape("merge", Shape{1, T, dim});
      b.linear("proj", dim);
    }
    const NetworkBuilder::Tensor h = b.add("add1", x);
    b.layernorm("norm2");
    b.linear("mlp.fc1", mlp_hidden, ActivationFn::Gelu);
    b.linear("mlp.fc2", dim);
    b.add("add2", h);
  }
  const NetworkBuilder::Tensor tokens = b.layernorm("norm");
  b.set_current(NetworkBuilder::take_tokens(tokens, 1));  // the cls token
  b.linear("head", 1000);
  return b.build();
}

}  // namespace h4h
