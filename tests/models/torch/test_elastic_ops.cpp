// Each elastic layer against a static torch::nn layer holding the sliced weights. The slices for the
// static layers are taken here with explicit index ranges, independently of the *_slice accessors.
#include <gtest/gtest.h>

#include "models/torch/elastic_ops.h"

namespace h4h {
namespace {

using torch::indexing::Slice;
namespace nn = torch::nn;

void randomize(const torch::Tensor& t) {
  torch::NoGradGuard g;
  t.normal_(0.0, 0.5);
}

void expect_close(const torch::Tensor& a, const torch::Tensor& b, double tol = 1e-5) {
  ASSERT_EQ(a.sizes(), b.sizes());
  EXPECT_TRUE(torch::allclose(a, b, tol, tol)) << "max |diff| " << (a - b).abs().max().item<double>();
}

void assign(const torch::Tensor& dst, const torch::Tensor& src) {
  torch::NoGradGuard g;
  dst.copy_(src);
}

TEST(ElasticConv2d, SlicedChannelsAndCentreKernelMatchAStaticConv) {
  torch::manual_seed(1);
  ElasticConv2d conv(ElasticConv2dOptions(8, 12, 5).stride(2).bias(true));
  randomize(conv->bias);
  for (bool channels_last : {false, true}) {
    for (int k : {3, 5}) {
      torch::Tensor x = torch::randn({2, 6, 9, 9});
      if (channels_last) x = x.contiguous(torch::MemoryFormat::ChannelsLast);
      nn::Conv2d ref(nn::Conv2dOptions(6, 7, k).stride(2).padding(k / 2).bias(true));
      const int o = (5 - k) / 2;
      assign(ref->weight, conv->weight.index({Slice(0, 7), Slice(0, 6), Slice(o, o + k), Slice(o, o + k)}));
      assign(ref->bias, conv->bias.index({Slice(0, 7)}));
      const torch::Tensor y = conv(x, 7, k);
      EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 7, 5, 5}));  // ceil(9 / 2)
      expect_close(y, ref(x));
    }
  }
}

TEST(ElasticConv2d, FullExtentIsTheWeightItselfAndBadRequestsThrow) {
  ElasticConv2d conv(ElasticConv2dOptions(4, 6, 5));
  EXPECT_TRUE(conv->weight_slice(4, 6, 5).is_same(conv->weight));
  EXPECT_FALSE(conv->bias_slice(6).defined());
  EXPECT_THROW(conv->weight_slice(4, 6, 4), std::invalid_argument);  // even: no centre crop
  EXPECT_THROW(conv->weight_slice(4, 7, 5), std::invalid_argument);
  EXPECT_THROW(conv(torch::randn({1, 5, 4, 4}), 6, 3), std::invalid_argument);  // 5 > max in
  EXPECT_THROW(ElasticConv2d(ElasticConv2dOptions(4, 6, 4)), std::invalid_argument);
}

TEST(ElasticDepthwiseConv2d, MatchesAStaticGroupedConv) {
  torch::manual_seed(2);
  ElasticDepthwiseConv2d dw(ElasticDepthwiseConv2dOptions(10, 7).stride(2));
  for (int k : {3, 5, 7}) {
    const torch::Tensor x = torch::randn({3, 6, 7, 7}).contiguous(torch::MemoryFormat::ChannelsLast);
    nn::Conv2d ref(nn::Conv2dOptions(6, 6, k).stride(2).padding(k / 2).groups(6).bias(false));
    const int o = (7 - k) / 2;
    assign(ref->weight, dw->weight.index({Slice(0, 6), Slice(), Slice(o, o + k), Slice(o, o + k)}));
    const torch::Tensor y = dw(x, k);
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{3, 6, 4, 4}));
    expect_close(y, ref(x));
  }
  EXPECT_THROW(dw(torch::randn({1, 11, 4, 4}), 3), std::invalid_argument);
}

class ElasticBatchNormTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(3);
    bn = ElasticBatchNorm2d(ElasticBatchNorm2dOptions(10).momentum(0.2));
    torch::NoGradGuard g;
    bn->weight.uniform_(0.5, 1.5);
    bn->bias.normal_();
    bn->running_mean.normal_();
    bn->running_var.uniform_(0.5, 2.0);
    ref = nn::BatchNorm2d(nn::BatchNorm2dOptions(6).momentum(0.2));
    assign(ref->weight, bn->weight.index({Slice(0, 6)}));
    assign(ref->bias, bn->bias.index({Slice(0, 6)}));
    assign(ref->running_mean, bn->running_mean.index({Slice(0, 6)}));
    assign(ref->running_var, bn->running_var.index({Slice(0, 6)}));
  }
  ElasticBatchNorm2d bn{nullptr};
  nn::BatchNorm2d ref{nullptr};
};

TEST_F(ElasticBatchNormTest, TrainingUpdatesExactlyTheActiveSliceOfTheRunningStats) {
  const torch::Tensor tail_mean = bn->running_mean.index({Slice(6, 10)}).clone();
  const torch::Tensor tail_var = bn->running_var.index({Slice(6, 10)}).clone();
  bn->train();
  ref->train();
  for (int step = 0; step < 3; ++step) {
    const torch::Tensor x = (torch::randn({4, 6, 5, 5}) * 2 + 1).contiguous(torch::MemoryFormat::ChannelsLast);
    expect_close(bn(x), ref(x));
  }
  expect_close(bn->running_mean.index({Slice(0, 6)}), ref->running_mean);
  expect_close(bn->running_var.index({Slice(0, 6)}), ref->running_var);
  EXPECT_TRUE(torch::equal(bn->running_mean.index({Slice(6, 10)}), tail_mean));
  EXPECT_TRUE(torch::equal(bn->running_var.index({Slice(6, 10)}), tail_var));
  EXPECT_EQ(bn->num_batches_tracked.item<int64_t>(), 3);

  bn->eval();
  ref->eval();
  const torch::Tensor x = torch::randn({2, 6, 3, 3});
  expect_close(bn(x), ref(x));
}

TEST_F(ElasticBatchNormTest, CalibrationAveragesTheBatchStatistics) {
  bn->train();
  bn->begin_calibration();
  std::vector<torch::Tensor> means, vars;
  for (int step = 0; step < 3; ++step) {
    const torch::Tensor x = torch::randn({4, 6, 5, 5}) * (step + 1) + step;
    bn(x);
    means.push_back(x.mean({0, 2, 3}));
    vars.push_back(x.var({0, 2, 3}, /*unbiased=*/true));
  }
  bn->end_calibration();
  EXPECT_FALSE(bn->calibrating());
  expect_close(bn->running_mean.index({Slice(0, 6)}), torch::stack(means).mean(0));
  expect_close(bn->running_var.index({Slice(0, 6)}), torch::stack(vars).mean(0));
}

TEST(ElasticLinear, MatchesAStaticLinearOnTokens) {
  torch::manual_seed(4);
  ElasticLinear lin(ElasticLinearOptions(9, 11));
  randomize(lin->bias);
  const torch::Tensor x = torch::randn({2, 5, 7});
  nn::Linear ref(7, 4);
  assign(ref->weight, lin->weight.index({Slice(0, 4), Slice(0, 7)}));
  assign(ref->bias, lin->bias.index({Slice(0, 4)}));
  expect_close(lin(x, 4), ref(x));
  EXPECT_TRUE(lin->weight_slice(9, 11).is_same(lin->weight));
  EXPECT_THROW(lin(x, 12), std::invalid_argument);
}

TEST(ElasticLayerNorm, NormalisesTheActiveWidthWithTheLeadingAffineParameters) {
  torch::manual_seed(5);
  ElasticLayerNorm ln(ElasticLayerNormOptions(10));
  randomize(ln->weight);
  randomize(ln->bias);
  const torch::Tensor x = torch::randn({2, 5, 6}) * 3;
  nn::LayerNorm ref(nn::LayerNormOptions({6}));
  assign(ref->weight, ln->weight.index({Slice(0, 6)}));
  assign(ref->bias, ln->bias.index({Slice(0, 6)}));
  expect_close(ln(x), ref(x));
}

TEST(ElasticOps, GradientsReachOnlyTheActiveSlice) {
  ElasticConv2d conv(ElasticConv2dOptions(4, 6, 5));
  conv(torch::randn({2, 3, 6, 6}), 5, 3).sum().backward();
  const torch::Tensor g = conv->weight.grad();
  EXPECT_GT(g.index({Slice(0, 5), Slice(0, 3), Slice(1, 4), Slice(1, 4)}).abs().sum().item<double>(), 0);
  EXPECT_EQ(g.index({Slice(5, 6)}).abs().sum().item<double>(), 0);
  EXPECT_EQ(g.index({Slice(), Slice(3, 4)}).abs().sum().item<double>(), 0);
  EXPECT_EQ(g.index({Slice(), Slice(), 0}).abs().sum().item<double>(), 0);  // outside the 3x3 centre
}

}  // namespace
}  // namespace h4h
