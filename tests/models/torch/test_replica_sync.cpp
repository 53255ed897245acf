// Synchronised batch norm against torch::batch_norm on the concatenated batch: two replicas run as
// two threads whose ReplicaSum meets at a barrier, so the maths is checked without MPI.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "models/torch/replica_sync.h"

namespace h4h {
namespace {

// Two threads' tensors summed: each caller blocks until both have contributed, then reads the sum.
class TwoReplicaSum {
 public:
  void operator()(torch::Tensor& t) {
    std::unique_lock<std::mutex> lock(mutex_);
    const int64_t round = round_;
    if (arrived_ == 0) {
      partial_ = t.clone();
    } else {
      partial_ = partial_ + t;
    }
    if (++arrived_ == 2) {
      total_ = partial_;
      arrived_ = 0;
      ++round_;
      cv_.notify_all();
    } else {
      cv_.wait(lock, [&] { return round_ != round; });
    }
    t.copy_(total_);
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int arrived_ = 0;
  int64_t round_ = 0;
  torch::Tensor partial_, total_;
};

TEST(SyncBatchNorm, TwoReplicasMatchOneBatchNormOnTheWholeBatch) {
  torch::manual_seed(3);
  const int64_t c = 5;
  const torch::Tensor x = torch::randn({8, c, 3, 3}) * 2 + 1, g = torch::randn({8, c, 3, 3});
  const torch::Tensor weight0 = torch::randn({c}), bias0 = torch::randn({c});

  // One process, the whole batch.
  torch::Tensor x1 = x.clone().requires_grad_(), w1 = weight0.clone().requires_grad_(), b1 = bias0.clone().requires_grad_();
  torch::Tensor mean1 = torch::zeros({c}), var1 = torch::ones({c});
  const torch::Tensor y1 = torch::batch_norm(x1, w1, b1, mean1, var1, true, 0.1, 1e-5, false);
  (y1 * g).sum().backward();

  // Two replicas, half the batch each; their parameter gradients add up.
  TwoReplicaSum sum_impl;
  const ReplicaSum sum = [&](torch::Tensor& t) { sum_impl(t); };
  torch::Tensor y[2], xg[2], wg[2], bg[2], mean[2], var[2];
  auto replica = [&](int r) {
    torch::Tensor xr = x.narrow(0, 4 * r, 4).clone().requires_grad_();
    torch::Tensor w = weight0.clone().requires_grad_(), b = bias0.clone().requires_grad_();
    mean[r] = torch::zeros({c});
    var[r] = torch::ones({c});
    y[r] = sync_batch_norm(xr, w, b, mean[r], var[r], 0.1, 1e-5, sum);
    (y[r] * g.narrow(0, 4 * r, 4)).sum().backward();
    xg[r] = xr.grad();
    wg[r] = w.grad();
    bg[r] = b.grad();
  };
  std::thread other(replica, 1);
  replica(0);
  other.join();

  const auto close = [](const torch::Tensor& a, const torch::Tensor& b) {
    return torch::allclose(a, b, 1e-5, 1e-5) ? std::string() : "max |diff| " + std::to_string((a - b).abs().max().item<double>());
  };
  EXPECT_EQ(close(torch::cat({y[0], y[1]}).detach(), y1.detach()), "");
  EXPECT_EQ(close(torch::cat({xg[0], xg[1]}), x1.grad()), "") << "input gradients";
  EXPECT_EQ(close(wg[0] + wg[1], w1.grad()), "") << "weight gradients";
  EXPECT_EQ(close(bg[0] + bg[1], b1.grad()), "") << "bias gradients";
  for (int r = 0; r < 2; ++r) {
    EXPECT_EQ(close(mean[r], mean1), "") << "running mean of replica " << r;
    EXPECT_EQ(close(var[r], var1), "") << "running variance (unbiased) of replica " << r;
  }
}

}  // namespace
}  // namespace h4h
