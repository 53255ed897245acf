#pragma once
// Data-parallel training across the ranks of an mpirun job (nas/dist/communicator.h).
//
// Each rank trains on its shard of every global batch (the loader's shard = rank), samples the same
// subnets (a shared seed), normalises with batch statistics over all shards (synchronised batch
// norm), and applies the mean of all ranks' gradients: the update is that of one process holding
// the whole global batch, up to floating-point summation order. Rank 0 alone writes files and
// reports progress. With one process every call here is a no-op.
#include "models/torch/supernet.h"
#include "nas/dist/communicator.h"

namespace h4h {

class DataParallel {
 public:
  DataParallel(Supernet net, dist::Communicator& comm);
  ~DataParallel();  // detaches the synchronised batch norm

  bool active() const { return comm_.distributed(); }
  int rank() const { return comm_.rank(); }
  int ranks() const { return comm_.size(); }
  bool writes_files() const { return comm_.root(); }

  // Replaces every defined gradient by its mean over the ranks (one all-reduce of all of them). The
  // ranks hold the same set of defined gradients: they ran the same subnets.
  void average_gradients();
  // Element-wise sums over the ranks, in place (the step's loss and accuracy figures).
  void sum(double* values, size_t count) { comm_.sum(values, count); }

 private:
  Supernet net_;
  dist::Communicator& comm_;
};

}  // namespace h4h
