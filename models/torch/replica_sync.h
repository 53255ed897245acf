#pragma once
// Cross-replica reductions for data-parallel training, kept free of any communication library: the
// trainer supplies a ReplicaSum (MPI, or anything else) and the modules call it.
#include <functional>

#include <torch/torch.h>

namespace h4h {

// Adds a contiguous CPU float tensor in place across all replicas. Every replica calls it in the
// same order with the same shapes.
using ReplicaSum = std::function<void(torch::Tensor&)>;

// The sum of `x` over all replicas, differentiable: the backward pass sums the incoming gradients
// over the replicas too, so each replica's input receives the gradient of the sum of every replica's
// loss. Any device: non-CPU tensors travel through host memory.
torch::Tensor replica_sum(const torch::Tensor& x, const ReplicaSum& sum);

// Training-mode batch norm over the union of the replicas' batches (x: [B, C, H, W] on each, the
// same C everywhere): the batch statistics are those of the concatenated batch (two-pass mean and
// biased variance), the running statistics are updated in place with the momentum and the unbiased
// variance, as torch::batch_norm does on one process holding every replica's batch.
torch::Tensor sync_batch_norm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                              torch::Tensor running_mean, torch::Tensor running_var, double momentum, double eps,
                              const ReplicaSum& sum);

}  // namespace h4h
