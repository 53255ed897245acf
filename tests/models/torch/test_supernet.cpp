// The supernet on the fashion-mnist space: extraction, sampling, MACs/params against
// arch_workload, BN recalibration, gradients, checkpoints and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "models/space/arch_workload.h"
#include "models/torch/supernet.h"
#include "sim/core/error.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

using torch::indexing::Slice;

SearchSpace fashion_space() {
  return load_search_space(test::source_dir() + "/models/spaces/fashion-mnist.yaml");
}

// Random affine parameters and running statistics everywhere, so eval mode exercises every slice.
void randomize_norms(torch::nn::Module& m) {
  torch::NoGradGuard g;
  for (auto& p : m.named_parameters())
    if (p.key().find("bias") != std::string::npos) p.value().normal_(0.0, 0.1);
  for (const auto& mod : m.modules())
    if (auto bn = std::dynamic_pointer_cast<ElasticBatchNorm2dImpl>(mod)) {
      bn->weight.uniform_(0.5, 1.5);
      bn->running_mean.normal_(0.0, 0.2);
      bn->running_var.uniform_(0.5, 1.5);
    }
}

torch::Tensor images(const SearchSpace& s, int64_t batch, int r) { return torch::randn({batch, s.input_channels, r, r}); }

// Several architectures: the extremes and random ones, at least three of them hybrid.
std::vector<ArchConfig> test_archs(const SearchSpace& s, int random_count) {
  std::vector<ArchConfig> archs = {largest_arch(s), smallest_arch(s)};
  Rng rng(21);
  int hybrid = 0;
  while (int(archs.size()) < 2 + random_count) {
    ArchConfig a = random_arch(s, rng, /*cnn_only=*/archs.size() % 3 == 0);
    if (a.has_transformer()) ++hybrid;
    archs.push_back(a);
  }
  EXPECT_GE(hybrid + int(largest_arch(s).has_transformer()), 3);
  return archs;
}

class SupernetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    torch::manual_seed(31);
    space = fashion_space();
    net = Supernet(space);
  }
  SearchSpace space;
  Supernet net{nullptr};
};

TEST_F(SupernetTest, ExtractedSubnetGivesTheActiveSubnetsOutputs) {
  randomize_norms(*net);
  net->eval();
  for (const ArchConfig& a : test_archs(space, 8)) {
    net->set_active_subnet(a);
    StaticSubnet fixed = net->extract_active_subnet();
    EXPECT_FALSE(fixed->is_training());
    const torch::Tensor x = images(space, 2, a.resolution);
    torch::NoGradGuard g;
    const torch::Tensor y = net(x);
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, space.num_classes}));
    EXPECT_LE((y - fixed(x)).abs().max().item<double>(), 1e-5) << arch_key(a);
  }
}

TEST_F(SupernetTest, ExtractionCopiesRatherThanShares) {
  net->set_smallest_subnet();
  StaticSubnet fixed = net->extract_active_subnet();
  const torch::Tensor before = net->first_conv->weight.clone();
  {
    torch::NoGradGuard g;
    fixed->first_conv->weight.fill_(7);
  }
  EXPECT_TRUE(torch::equal(net->first_conv->weight, before));
}

TEST_F(SupernetTest, SamplingStaysInsideTheSpace) {
  Rng rng(5);
  int hybrid = 0;
  for (int i = 0; i < 100; ++i) {
    const ArchConfig a = net->sample_active_subnet(rng);
    EXPECT_NO_THROW(validate_arch(a, space));
    EXPECT_EQ(net->active_subnet(), a);
    hybrid += a.has_transformer();
    const ArchConfig cnn = net->sample_active_subnet(rng, /*cnn_only=*/true);
    EXPECT_EQ(cnn.transformer_blocks(), 0);
    EXPECT_NO_THROW(validate_arch(cnn, space));
  }
  EXPECT_GT(hybrid, 10);
  // The same seed gives the same sequence as the Torch-free sampler.
  Rng a(9), b(9);
  EXPECT_EQ(net->sample_active_subnet(a), random_arch(space, b));
}

TEST_F(SupernetTest, LayerCountsEqualTheArchWorkload) {
  for (const ArchConfig& a : test_archs(space, 6)) {
    net->set_active_subnet(a);
    const std::vector<LayerCount> counts = net->count_active_layers();
    std::vector<LayerCount> expected;
    const Workload w = arch_to_workload(a, space);
    for (const Layer& l : w.layers) {
      const LayerCounts c = count_layer(l, w.precision);
      if (c.macs > 0 || c.params > 0) expected.push_back(LayerCount{l.name, c.macs, c.params});
    }
    ASSERT_EQ(counts.size(), expected.size()) << arch_key(a);
    int64_t macs = 0, params = 0;
    for (size_t i = 0; i < counts.size(); ++i) {
      EXPECT_EQ(counts[i].name, expected[i].name);
      EXPECT_EQ(counts[i].macs, expected[i].macs) << expected[i].name;
      EXPECT_EQ(counts[i].params, expected[i].params) << expected[i].name;
      macs += counts[i].macs;
      params += counts[i].params;
    }
    const WorkloadTotals totals = count_workload(w);
    EXPECT_EQ(macs, totals.macs);
    EXPECT_EQ(params, totals.params);

    // Independently: the extracted module's parameters, each BatchNorm's scale + shift folding
    // into one bias per channel, as a deployed network holds them.
    StaticSubnet fixed = net->extract_active_subnet();
    int64_t fixed_params = 0;
    for (const auto& p : fixed->parameters()) fixed_params += p.numel();
    for (const auto& m : fixed->modules())
      if (auto bn = std::dynamic_pointer_cast<torch::nn::BatchNorm2dImpl>(m)) fixed_params -= bn->options.num_features();
    EXPECT_EQ(fixed_params, totals.params) << arch_key(a);
  }
}

TEST_F(SupernetTest, BnRecalibrationIsDeterministicAndTouchesOnlyTheActiveSlices) {
  ArchConfig a = smallest_arch(space);
  a.stages[2].blocks.push_back(largest_arch(space).stages[2].blocks[1]);  // one transformer block
  net->set_active_subnet(a);
  std::vector<torch::Tensor> batches;
  for (int i = 0; i < 3; ++i) batches.push_back(images(space, 8, a.resolution) * (i + 1));
  const auto source = [&batches]() {
    size_t next = 0;
    return [&batches, next]() mutable { return next < batches.size() ? batches[next++] : torch::Tensor(); };
  };
  const int64_t w0 = a.first_conv_width;
  const torch::Tensor untouched_mean = net->first_bn->running_mean.index({Slice(w0)}).clone();
  const torch::Tensor unused_slot = net->mbconv(3, 2)->project_bn->running_mean.clone();
  net->eval();
  std::vector<torch::Tensor> initial;
  for (const auto& bn : net->batch_norms()) initial.push_back(bn->running_mean.clone());

  EXPECT_EQ(net->recalibrate_bn(source()), 3);
  EXPECT_FALSE(net->is_training());
  const auto bns = net->batch_norms();
  std::vector<torch::Tensor> stats;
  std::vector<bool> used;
  for (size_t i = 0; i < bns.size(); ++i) {
    stats.push_back(bns[i]->running_mean.clone());
    used.push_back(!torch::equal(stats[i], initial[i]));
  }
  // The BNs the subnet runs: first conv, 2 or 3 per MBConv block, head.
  int expected_used = 2;
  for (const StageConfig& st : a.stages)
    for (const BlockConfig& b : st.blocks)
      if (b.type == BlockType::MBConv) expected_used += b.expand == 1 ? 2 : 3;
  EXPECT_EQ(std::count(used.begin(), used.end(), true), expected_used);

  // The first BN's slice is the average of the batch means of the first conv's output.
  std::vector<torch::Tensor> means;
  {
    torch::NoGradGuard g;
    for (const auto& x : batches) means.push_back(net->first_conv(x, w0, space.first_conv_kernel).mean({0, 2, 3}));
  }
  EXPECT_TRUE(torch::allclose(net->first_bn->running_mean.index({Slice(0, w0)}), torch::stack(means).mean(0), 1e-5,
                              1e-5));
  EXPECT_TRUE(torch::equal(net->first_bn->running_mean.index({Slice(w0)}), untouched_mean));
  EXPECT_TRUE(torch::equal(net->mbconv(3, 2)->project_bn->running_mean, unused_slot));

  // Again from perturbed statistics: the slices the subnet uses come out the same, bit for bit
  // (they start afresh); the others keep the perturbation.
  {
    torch::NoGradGuard g;
    for (const auto& bn : bns) bn->running_mean.index({Slice(0, 8)}).add_(3.0);
  }
  EXPECT_EQ(net->recalibrate_bn(source(), 3), 3);
  for (size_t i = 0; i < bns.size(); ++i) {
    torch::Tensor expected = stats[i].clone();
    if (!used[i]) expected.index({Slice(0, 8)}).add_(3.0);
    EXPECT_TRUE(torch::equal(bns[i]->running_mean, expected)) << "batch norm " << i;
  }
  EXPECT_THROW(net->recalibrate_bn([] { return torch::Tensor(); }), InputError);
}

TEST_F(SupernetTest, GradientsReachOnlyTheActiveSubnet) {
  ArchConfig a = smallest_arch(space);
  net->set_active_subnet(a);
  net->train();
  torch::nn::functional::cross_entropy(net(images(space, 4, a.resolution)), torch::tensor({0, 1, 2, 3})).backward();
  const torch::Tensor g = net->first_conv->weight.grad();
  EXPECT_GT(g.index({Slice(0, a.first_conv_width)}).abs().sum().item<double>(), 0);
  EXPECT_EQ(g.index({Slice(a.first_conv_width)}).abs().sum().item<double>(), 0);
  EXPECT_FALSE(net->transformer(2, 1)->fc1->weight.grad().defined());  // slot not used
  EXPECT_FALSE(net->mbconv(2, 2)->project->weight.grad().defined());   // block beyond the depth
}

TEST_F(SupernetTest, ParameterNamesAreStableAndCheckpointsRoundTrip) {
  const auto params = net->named_parameters();
  EXPECT_NE(params.find("first_conv.weight"), nullptr);
  EXPECT_NE(params.find("stage2_block1_transformer.attention.qkv_weight"), nullptr);
  EXPECT_NE(params.find("stage2_block1_mbconv.se_reduce.bias"), nullptr);
  EXPECT_EQ(params.find("stage0_block1_transformer.fc1.weight"), nullptr);  // s1 has no transformers
  randomize_norms(*net);
  const std::string path = ::testing::TempDir() + "h4h_supernet_roundtrip.pt";
  torch::save(net, path);
  torch::manual_seed(99);
  Supernet other(space);
  torch::load(other, path);
  std::remove(path.c_str());
  Rng rng(3);
  const ArchConfig a = net->sample_active_subnet(rng);
  other->set_active_subnet(a);
  net->eval();
  other->eval();
  const torch::Tensor x = images(space, 2, a.resolution);
  EXPECT_TRUE(torch::equal(net(x), other(x)));
}

TEST_F(SupernetTest, BadInputIsAnInputError) {
  ArchConfig a = largest_arch(space);
  a.stages[1].width = 40;  // not a width of s2
  EXPECT_THROW(net->set_active_subnet(a), InputError);
  EXPECT_EQ(net->active_subnet(), largest_arch(space));  // unchanged
  SearchSpace even = space;
  even.first_conv_kernel = 4;
  EXPECT_THROW(Supernet{even}, InputError);
  EXPECT_THROW(net(torch::randn({1, 3, 28, 28})), std::invalid_argument);  // 3 channels, space has 1
}

}  // namespace
}  // namespace h4h
