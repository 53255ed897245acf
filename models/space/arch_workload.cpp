#include "models/space/arch_workload.h"

#include <cmath>

#include "models/zoo/builder.h"

namespace h4h {

namespace {

using T = NetworkBuilder::Tensor;

void mbconv_block(NetworkBuilder& b, const std::string& name, const BlockConfig& cfg, int64_t out, int stride, ActivationFn act) {
  auto scope = b.scope(name);
  const T in = b.current();
  const int64_t mid = cfg.expand == 1 ? in.shape.c : make_divisible(double(in.shape.c) * cfg.expand, 8);
  if (cfg.expand != 1) b.conv("expand", mid, 1, 1, act);
  const T x = b.depthwise("depthwise", cfg.kernel, stride, act);
  if (cfg.se) {
    auto se = b.scope("se");
    b.global_avgpool("pool");
    b.conv("reduce", make_divisible(double(mid) / 4, 8), 1, 1, ActivationFn::Relu);
    const T gate = b.conv("expand", mid, 1, 1, ActivationFn::HSigmoid);
    b.set_current(x);
    b.mul("scale", gate);
  }
  b.conv("project", out, 1);
  if (stride == 1 && in.shape.c == out) b.add("residual", in);
}

void transformer_block(NetworkBuilder& b, const std::string& name, const BlockConfig& cfg, ActivationFn act) {
  auto scope = b.scope(name);
  const Shape grid = b.current().shape;
  const int64_t n = grid.h * grid.w, c = grid.c, h = cfg.heads, d = cfg.head_dim;
  const T x = b.reshape("to_tokens", Shape{1, n, c});
  b.layernorm("norm1");
  const T qkv = b.linear("qkv", 3 * h * d);
  // Q.K^T per head: [h, n, d] x [h, d, n] -> [h, n, n]; the operands are views of qkv's output.
  b.matmul("q_kt", qkv, qkv, h, n, d, n);
  const T scores = b.softmax("softmax");
  b.matmul("attn_v", scores, qkv, h, n, n, d);  // [h, n, d]
  b.reshape("merge_heads", Shape{1, n, h * d});
  b.linear("proj", c);
  b.add("residual1", x);
  const T y = b.current();
  b.layernorm("norm2");
  b.linear("fc1", int64_t(cfg.mlp_ratio) * c, act);
  b.linear("fc2", c);
  b.add("residual2", y);
  b.reshape("to_grid", grid);
}

}  // namespace

Workload arch_to_workload(const ArchConfig& arch, const SearchSpace& space, const std::string& name) {
  validate_arch(arch, space);
  NetworkBuilder b(name.empty() ? space.name + "/" + arch_key(arch) : name,
                   Shape{arch.resolution, arch.resolution, space.input_channels});
  b.conv("first_conv", arch.first_conv_width, space.first_conv_kernel, space.first_conv_stride, space.activation);
  for (size_t i = 0; i < arch.stages.size(); ++i) {
    const StageSpace& ss = space.stages[i];
    const StageConfig& sc = arch.stages[i];
    for (size_t j = 0; j < sc.blocks.size(); ++j) {
      const std::string block = ss.name + "." + std::to_string(j);
      if (sc.blocks[j].type == BlockType::MBConv)
        mbconv_block(b, block, sc.blocks[j], sc.width, j == 0 ? ss.stride : 1, space.activation);
      else
        transformer_block(b, block, sc.blocks[j], space.activation);
    }
  }
  b.conv("head.conv", arch.head_conv_width, 1, 1, space.activation);
  b.global_avgpool("head.pool");
  b.linear("head.fc", arch.head_fc_width, space.activation);
  b.linear("classifier", space.num_classes);
  return b.build();
}

}  // namespace h4h
