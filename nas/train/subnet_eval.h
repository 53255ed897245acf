#pragma once
// Accuracy of one subnet of a supernet: BN recalibration on training batches (OFA), then top-1 on a
// split. Used at the end of each training epoch, by `h4h eval` and by the search.
//
// Images come from the data pipeline at `data_resolution` (the space's largest) with the evaluation
// transform and are resized to the subnet's resolution, as in training. Deterministic: the
// recalibration batches are the first `bn_batches` of a loader shuffled with `seed`.
#include <torch/torch.h>

#include "models/torch/supernet.h"
#include "nas/data/data_spec.h"

namespace h4h {

struct SubnetEvalOptions {
  int data_resolution = 32;
  int64_t batch_size = 256;
  int64_t bn_batches = 20;  // 0: keep the stored running statistics
  uint64_t seed = 0;
  torch::Device device = torch::kCPU;
};

class SubnetEvaluator {
 public:
  SubnetEvaluator(const data::DataSplits& splits, SubnetEvalOptions options);

  // Makes `arch` active, recalibrates its BN statistics and returns top-1 on `split` (a dataset of
  // `splits`: val or test). The supernet's training mode is restored.
  double top1(Supernet& net, const ArchConfig& arch, const data::DatasetPtr& split) const;

 private:
  const data::DataSplits& splits_;
  SubnetEvalOptions options_;
};

// The largest and smallest subnets with every block an MBConv (phase 1 of the two-phase training):
// transformer blocks of largest_arch / smallest_arch become the stage's largest / smallest MBConv.
ArchConfig largest_cnn_arch(const SearchSpace& space);
ArchConfig smallest_cnn_arch(const SearchSpace& space);

}  // namespace h4h
