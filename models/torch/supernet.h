#pragma once
// The weight-sharing supernet of a SearchSpace (Once-for-All style): every block slot owns the
// largest MBConv and, where the stage allows transformers after its first block, the largest
// transformer block too; the active subnet (an ArchConfig) runs on slices of those weights.
//
//   Supernet net(load_search_space("models/spaces/fashion-mnist.yaml"));
//   Rng rng(seed);
//   net->sample_active_subnet(rng);          // or set_active_subnet(arch), set_largest_subnet()
//   torch::Tensor logits = net->forward(images);   // [B, C_in, H, W] -> [B, num_classes]
//   StaticSubnet fixed = net->extract_active_subnet();   // same outputs, plain torch::nn layers
//
// Images should be at the active subnet's resolution (the caller resizes or pads); any size runs,
// but MACs match arch_workload only at H = W = active_subnet().resolution.
// Parameter and buffer names are stable ("first_conv.weight", "stage2_block1_transformer.fc1.weight",
// ...), so torch::save / torch::load of the module round-trips through checkpoints.
// Gradients: weights outside the active slices get zero gradient (or none, for a slot never used).
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <vector>

#include "models/space/sampling.h"
#include "models/torch/common.h"
#include "models/torch/elastic_blocks.h"
#include "models/torch/static_modules.h"

namespace h4h {

// Returns the next batch of images [B, C_in, H, W], or an undefined tensor when there are no more.
using BatchSource = std::function<torch::Tensor()>;

class SupernetImpl : public torch::nn::Module {
 public:
  // Throws InputError when the space cannot be realised by elastic layers (an even kernel, kernel
  // choices that are not centre crops of the largest).
  explicit SupernetImpl(SearchSpace space, const SubnetOptions& options = {});

  const SearchSpace& space() const { return space_; }
  const SubnetOptions& subnet_options() const { return options_; }

  // Throws InputError (from validate_arch) when `arch` is not a member of the space.
  void set_active_subnet(const ArchConfig& arch);
  // random_arch(space, rng, cnn_only), made active and returned.
  ArchConfig sample_active_subnet(Rng& rng, bool cnn_only = false);
  void set_largest_subnet() { set_active_subnet(largest_arch(space_)); }
  void set_smallest_subnet() { set_active_subnet(smallest_arch(space_)); }
  const ArchConfig& active_subnet() const { return active_; }

  torch::Tensor forward(const torch::Tensor& images);

  // The active subnet as a StaticSubnet with copies of its weights and BN statistics, in the
  // supernet's training mode, on the supernet's device.
  StaticSubnet extract_active_subnet() const;

  // Per-layer MACs and parameters of the active subnet, measured on one eval-mode forward of a
  // zero image at the active resolution; names and conventions as arch_workload's layers.
  std::vector<LayerCount> count_active_layers();

  // OFA's BN recalibration of the active subnet: the running statistics of the BN slices it uses
  // are replaced by the cumulative average of the statistics of the batches from `next_batch`
  // (training-mode forwards without gradients; at most `max_batches`, all when negative). Other
  // slices and slots are untouched; the training mode is restored. Returns the batches used;
  // throws InputError when the source gives none.
  int64_t recalibrate_bn(const BatchSource& next_batch, int64_t max_batches = -1);

  // Data-parallel training: every batch norm normalises training batches with the statistics of
  // all replicas' batches together (replica_sync.h); an empty sum returns to this process alone.
  void set_replica_sum(const ReplicaSum& sum);

  // Slots: mbconv(i, j) / transformer(i, j) of stage i, block j (nullptr holders where absent).
  ElasticMBConv mbconv(size_t stage, size_t block) const { return mbconv_.at(stage).at(block); }
  ElasticTransformer transformer(size_t stage, size_t block) const { return transformer_.at(stage).at(block); }
  std::vector<ElasticBatchNorm2d> batch_norms() const;

  ElasticConv2d first_conv{nullptr}, head_conv{nullptr};
  ElasticBatchNorm2d first_bn{nullptr}, head_bn{nullptr};
  ElasticLinear head_fc{nullptr}, classifier{nullptr};

 private:
  SearchSpace space_;
  SubnetOptions options_;
  ArchConfig active_;
  std::vector<std::vector<ElasticMBConv>> mbconv_;
  std::vector<std::vector<ElasticTransformer>> transformer_;
};
TORCH_MODULE(Supernet);

// Copies every parameter and buffer of `src` into the same-named one of `dst` (no autograd);
// throws std::invalid_argument when the names or shapes differ.
void copy_module_state(torch::nn::Module& dst, const torch::nn::Module& src);

}  // namespace h4h
