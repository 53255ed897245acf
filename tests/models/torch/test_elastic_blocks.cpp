// Elastic blocks against the static blocks they extract, and the attention's head layout against a
// per-head reference written out here.
#include <gtest/gtest.h>

#include "models/torch/common.h"
#include "models/torch/elastic_blocks.h"

namespace h4h {
namespace {

using torch::indexing::Slice;

void expect_close(const torch::Tensor& a, const torch::Tensor& b, double tol = 1e-5) {
  ASSERT_EQ(a.sizes(), b.sizes());
  EXPECT_TRUE(torch::allclose(a, b, tol, tol)) << "max |diff| " << (a - b).abs().max().item<double>();
}

// Random affine parameters and running statistics, so eval mode is not the identity.
void randomize_norms(torch::nn::Module& m) {
  torch::NoGradGuard g;
  for (auto& p : m.named_parameters())
    if (p.key().find("bias") != std::string::npos) p.value().normal_(0.0, 0.1);
  for (const auto& bn : m.modules())
    if (auto e = std::dynamic_pointer_cast<ElasticBatchNorm2dImpl>(bn)) {
      e->weight.uniform_(0.5, 1.5);
      e->running_mean.normal_(0.0, 0.2);
      e->running_var.uniform_(0.5, 1.5);
    }
}

BlockConfig mbconv(int kernel, int expand, bool se) {
  BlockConfig b;
  b.kernel = kernel;
  b.expand = expand;
  b.se = se;
  return b;
}

BlockConfig transformer(int heads, int head_dim, int mlp_ratio) {
  BlockConfig b;
  b.type = BlockType::Transformer;
  b.heads = heads;
  b.head_dim = head_dim;
  b.mlp_ratio = mlp_ratio;
  return b;
}

struct MBConvCase {
  int64_t in, out;
  int stride;
  BlockConfig block;
};

TEST(ElasticMBConv, ActiveBlockEqualsItsExtractedStaticBlock) {
  torch::manual_seed(11);
  const std::vector<MBConvCase> cases = {
      {16, 16, 1, mbconv(3, 4, true)},   // residual, SE, cropped kernel
      {12, 24, 2, mbconv(5, 6, false)},  // no residual, full kernel
      {16, 8, 1, mbconv(3, 3, true)},    // width change: no residual
      {16, 16, 1, mbconv(5, 1, false)},  // expand 1: no expand conv
  };
  for (int stride : {1, 2}) {
    ElasticMBConv slot(ElasticMBConvOptions(16, 24, 5, {1, 3, 4, 6}).se(true).stride(stride).name("s.0"));
    randomize_norms(*slot);
    for (const MBConvCase& c : cases) {
      if (c.stride != stride) continue;
      slot->set_active(c.block, c.out);
      const torch::Tensor x = torch::randn({2, c.in, 8, 8}).contiguous(torch::MemoryFormat::ChannelsLast);
      for (bool training : {false, true}) {
        slot->train(training);
        StaticMBConv fixed = slot->extract(c.in);
        EXPECT_EQ(fixed->is_training(), training);
        EXPECT_EQ(bool(fixed->expand), c.block.expand != 1);
        EXPECT_EQ(bool(fixed->se_reduce), c.block.se);
        expect_close(slot(x), fixed(x));
      }
    }
  }
}

TEST(ElasticMBConv, RejectsChoicesTheSlotDoesNotHold) {
  ElasticMBConv slot(ElasticMBConvOptions(16, 24, 5, {3, 6}).name("s2.1"));
  EXPECT_THROW(slot->set_active(mbconv(7, 3, false), 16), std::invalid_argument);
  EXPECT_THROW(slot->set_active(mbconv(3, 4, false), 16), std::invalid_argument);
  EXPECT_THROW(slot->set_active(mbconv(3, 3, true), 16), std::invalid_argument);  // no SE weights
  EXPECT_THROW(slot->set_active(mbconv(3, 3, false), 32), std::invalid_argument);
  EXPECT_THROW(slot->set_active(transformer(2, 8, 1), 16), std::invalid_argument);
  EXPECT_FALSE(slot->expand.is_empty());
  EXPECT_TRUE(slot->se_reduce.is_empty());
}

// softmax(q k^T / sqrt(d)) v per head, with each head's q, k, v rows picked by index from the
// head-major qkv weight, concatenated and projected.
torch::Tensor reference_attention(const ElasticAttentionImpl& a, const torch::Tensor& x, int heads, int d) {
  const int64_t c = x.size(-1), dmax = a.options.max_head_dim();
  std::vector<torch::Tensor> outs;
  for (int h = 0; h < heads; ++h) {
    std::vector<torch::Tensor> qkv;
    for (int part = 0; part < 3; ++part) {
      const int64_t row = (int64_t(h) * 3 + part) * dmax;
      qkv.push_back(torch::linear(x, a.qkv_weight.index({Slice(row, row + d), Slice(0, c)}),
                                  a.qkv_bias.index({Slice(row, row + d)})));
    }
    const torch::Tensor scores = torch::matmul(qkv[0], qkv[1].transpose(-2, -1)) / std::sqrt(double(d));
    outs.push_back(torch::matmul(scores.softmax(-1), qkv[2]));
  }
  std::vector<torch::Tensor> cols;
  for (int h = 0; h < heads; ++h) cols.push_back(a.proj_weight.index({Slice(0, c), Slice(h * dmax, h * dmax + d)}));
  return torch::linear(torch::cat(outs, -1), torch::cat(cols, 1), a.proj_bias.index({Slice(0, c)}));
}

TEST(ElasticAttention, HeadsAndHeadDimSliceTheHeadMajorLayout) {
  torch::manual_seed(12);
  ElasticAttention attn(ElasticAttentionOptions(16, 4, 8));
  {
    torch::NoGradGuard g;
    attn->qkv_bias.normal_(0.0, 0.1);
    attn->proj_bias.normal_(0.0, 0.1);
    attn->qkv_weight.normal_(0.0, 0.3);
  }
  for (auto [c, heads, d] : {std::tuple<int64_t, int, int>{16, 4, 8}, {12, 3, 8}, {12, 3, 4}, {16, 1, 2}}) {
    const torch::Tensor x = torch::randn({2, 9, c});
    expect_close(attn(x, heads, d), reference_attention(*attn, x, heads, d));
  }
  EXPECT_TRUE(attn->qkv_weight_slice(16, 4, 8).is_same(attn->qkv_weight));
  EXPECT_THROW(attn(torch::randn({1, 4, 16}), 5, 8), std::invalid_argument);
}

TEST(ElasticTransformer, ActiveBlockEqualsItsExtractedStaticBlock) {
  torch::manual_seed(13);
  ElasticTransformer slot(ElasticTransformerOptions(16, 4, 8, 2).name("s3.1"));
  {
    torch::NoGradGuard g;
    for (auto& p : slot->parameters()) p.normal_(0.0, 0.3);
  }
  for (auto [c, b] : {std::pair<int64_t, BlockConfig>{16, transformer(4, 8, 2)},
                      {12, transformer(2, 8, 1)},
                      {16, transformer(3, 4, 2)}}) {
    slot->set_active(b);
    const torch::Tensor x = torch::randn({2, c, 3, 5}).contiguous(torch::MemoryFormat::ChannelsLast);
    StaticTransformer fixed = slot->extract(c);
    const torch::Tensor y = slot(x);
    EXPECT_EQ(y.sizes(), x.sizes());
    expect_close(y, fixed(x));
    expect_close(y, fixed(x.contiguous()));  // the memory format does not change the function
  }
  EXPECT_THROW(slot->set_active(transformer(5, 8, 1)), std::invalid_argument);
  EXPECT_THROW(slot->set_active(mbconv(3, 3, false)), std::invalid_argument);
}

TEST(GridTokens, RowMajorTokensRoundTrip) {
  const torch::Tensor x = torch::arange(2 * 3 * 2 * 4, torch::kFloat).view({2, 3, 2, 4});
  const torch::Tensor t = grid_to_tokens(x);
  EXPECT_EQ(t.sizes(), (std::vector<int64_t>{2, 8, 3}));
  EXPECT_EQ(t[1][5][2].item<float>(), x[1][2][1][1].item<float>());  // token 5 = row 1, column 1
  EXPECT_TRUE(torch::equal(tokens_to_grid(t, 2, 4), x));
}

TEST(ChannelsLastImages, OneChannelImagesGetChannelsLastStrides) {
  const torch::Tensor images = torch::randn({4, 1, 6, 5});
  // The trap: contiguous(ChannelsLast) keeps a one-channel NCHW tensor, which convolutions read as NCHW.
  ASSERT_EQ(images.contiguous(torch::MemoryFormat::ChannelsLast).suggest_memory_format(),
            torch::MemoryFormat::Contiguous);
  const torch::Tensor x = channels_last_images(images);
  EXPECT_EQ(x.suggest_memory_format(), torch::MemoryFormat::ChannelsLast);
  EXPECT_TRUE(torch::equal(x, images));
  EXPECT_EQ(torch::conv2d(x, torch::randn({3, 1, 3, 3})).suggest_memory_format(), torch::MemoryFormat::ChannelsLast);
  const torch::Tensor already = torch::randn({2, 3, 4, 4}).contiguous(torch::MemoryFormat::ChannelsLast);
  EXPECT_TRUE(channels_last_images(already).is_same(already));
}

}  // namespace
}  // namespace h4h
