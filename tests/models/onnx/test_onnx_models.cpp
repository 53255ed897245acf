// ONNX import of small whole networks: a MobileNetV2-like chain (compared layer by layer with the
// same network written with NetworkBuilder) and a transformer attention block.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/onnx/onnx_import.h"
#include "models/zoo/builder.h"
#include "sim/core/workload_json.h"
#include "tests/models/onnx/onnx_test_model.h"

namespace h4h::test {
namespace {

constexpr int64_t N = OnnxModel::kBatch;

TEST(OnnxImportModels, MobileNetLikeChainMatchesTheBuilder) {
  OnnxModel m;
  m.input("image", {N, 3, 32, 32}).scalar("zero", 0).scalar("six", 6).ints("flat", {1, -1});
  std::string x = conv_bn(m, "stem", "image", 3, 16, 3, 2, 1, true);                 // 16x16x16
  const std::string block_in = x;
  x = conv_bn(m, "b1.expand", x, 16, 64, 1, 1, 1, true);
  x = conv_bn(m, "b1.dw", x, 64, 64, 3, 1, 64, true);
  x = conv_bn(m, "b1.project", x, 64, 16, 1, 1, 1, false);
  m.node("Add", {block_in, x}, {"b1.out"}, "b1.add");
  x = conv_bn(m, "b2.dw", "b1.out", 16, 16, 3, 2, 16, true);                         // 8x8x16
  x = conv_bn(m, "b2.project", x, 16, 24, 1, 1, 1, false);
  m.node("GlobalAveragePool", {x}, {"pooled"}, "pool");
  m.node("Reshape", {"pooled", "flat"}, {"flat_out"}, "flatten");
  m.weight("fc.w", {10, 24}).weight("fc.b", {10});
  set_attr(m.node("Gemm", {"flat_out", "fc.w", "fc.b"}, {"logits"}, "fc"), "transB", int64_t(1));
  m.output("logits", {1, 10});
  const Workload w = import_onnx_bytes(m.bytes(), "mobile.onnx");

  NetworkBuilder b("mobile", Shape{32, 32, 3});
  const ActivationFn relu6 = ActivationFn::Relu6;
  b.conv("stem", 16, 3, 2, relu6);
  const NetworkBuilder::Tensor in = b.current();
  b.conv("b1.expand", 64, 1, 1, relu6);
  b.depthwise("b1.dw", 3, 1, relu6);
  b.conv("b1.project", 16, 1);
  b.set_current(in);
  b.add("b1.add", b.output_of("b1.project"));
  b.depthwise("b2.dw", 3, 2, relu6);
  b.conv("b2.project", 24, 1);
  b.global_avgpool("pool");
  b.linear("fc", 10);
  const Workload want = b.build();

  ASSERT_EQ(w.layers.size(), want.layers.size());
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer &got = w.layers[i], &exp = want.layers[i];
    SCOPED_TRACE(exp.name);
    EXPECT_EQ(got.name, exp.name);
    EXPECT_EQ(layer_op_name(got), layer_op_name(exp));
    EXPECT_EQ(got.activation, exp.activation);
    EXPECT_EQ(got.input, exp.input);
    EXPECT_EQ(got.output, exp.output);
    EXPECT_EQ(got.inputs, exp.inputs);
    const LayerCounts a = count_layer(got, w.precision), e = count_layer(exp, want.precision);
    EXPECT_EQ(a.macs, e.macs);
    EXPECT_EQ(a.params, e.params);
  }
  EXPECT_EQ(count_workload(w).macs, count_workload(want).macs);

  // What `h4h import` writes loads back as the same workload.
  const Workload again = parse_workload(workload_to_json(w).dump(), "mobile.json");
  EXPECT_EQ(workload_to_json(again), workload_to_json(w));
}

TEST(OnnxImportModels, AttentionBlock) {
  // x [1, T, C] -> LN -> qkv linear -> heads -> q k^T * scale -> softmax -> @ v -> merge -> proj
  // -> + x, as torch exports a ViT block (T = 17, C = 32, 2 heads of 16).
  const int64_t T = 17, C = 32, H = 2, D = 16;
  OnnxModel m;
  m.input("x", {N, T, C});
  add_attention_block(m, T, C, H, "Mul", 0.25f);  // 1 / sqrt(D)
  m.output("y", {1, T, C});
  const Workload w = import_onnx_bytes(m.bytes(), "attn.onnx");

  std::vector<std::string> names;
  for (const Layer& l : w.layers) names.push_back(l.name + ":" + layer_op_name(l));
  const std::vector<std::string> want = {"norm1:layernorm",     "qkv:linear",   "qkv_split:reshape",
                                         "qkv_heads:transpose", "k_t:transpose", "q_kt:matmul",
                                         "scale:mul",           "softmax:softmax", "attn_v:matmul",
                                         "merge_heads:transpose", "merge:reshape", "proj:linear",
                                         "residual:add"};
  EXPECT_EQ(names, want);

  auto at = [&](const std::string& name) -> const Layer& { return w.layers[size_t(w.find(name))]; };
  EXPECT_EQ(at("qkv_heads").output, (Shape{3 * H, T, D}));
  const Layer& qk = at("q_kt");
  EXPECT_EQ(qk.batch, H);
  EXPECT_EQ(qk.m, T);
  EXPECT_EQ(qk.k, D);
  EXPECT_EQ(qk.n, T);
  // q and k are views of qkv_heads (through k_t): the matmul reads the heads' producer layers.
  EXPECT_EQ(qk.inputs, (std::vector<int>{w.find("qkv_heads"), w.find("k_t")}));
  EXPECT_EQ(at("attn_v").inputs, (std::vector<int>{w.find("softmax"), w.find("qkv_heads")}));
  EXPECT_EQ(at("merge").output, (Shape{1, T, C}));
  EXPECT_EQ(at("residual").inputs, (std::vector<int>{w.find("proj")}));  // x comes from memory
  EXPECT_TRUE(at("qkv").bias);

  const int64_t macs = T * C * 3 * C + 2 * H * T * D * T + T * C * C;
  EXPECT_EQ(count_workload(w).macs, macs);
  EXPECT_EQ(count_workload(w).params, 2 * C + C * 3 * C + 3 * C + C * C + C);
}

}  // namespace
}  // namespace h4h::test
