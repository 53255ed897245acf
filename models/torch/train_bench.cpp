#include "models/torch/train_bench.h"

#include <algorithm>
#include <chrono>

#include "models/torch/supernet.h"

namespace h4h {

namespace {

using Clock = std::chrono::steady_clock;

// One SGD training step; returns its wall time in seconds.
double train_step(torch::nn::Module& model, const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                  torch::optim::Optimizer& optimizer, const torch::Tensor& images, const torch::Tensor& labels) {
  const auto start = Clock::now();
  for (auto& p : model.parameters()) p.mutable_grad() = torch::Tensor();  // set_to_none
  torch::Tensor loss = torch::nn::functional::cross_entropy(forward(images), labels);
  loss.backward();
  optimizer.step();
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

}  // namespace

TrainBenchResult bench_supernet_training(const SearchSpace& space, const ArchConfig& arch,
                                         const TrainBenchOptions& o) {
  validate_arch(arch, space);
  require(o.batch >= 1 && o.steps >= 1 && o.warmup >= 0, "bench_supernet_training: batch and steps must be positive");
  const torch::Device device(o.device);
  torch::manual_seed(o.seed);
  SubnetOptions options;
  options.channels_last = o.channels_last;
  Supernet supernet(space, options);
  supernet->set_active_subnet(arch);
  StaticSubnet fixed = supernet->extract_active_subnet();
  supernet->to(device);
  fixed->to(device);
  supernet->train();
  fixed->train();

  const int r = o.resolution > 0 ? o.resolution : arch.resolution;
  const torch::Tensor images = torch::randn({o.batch, space.input_channels, r, r}, torch::Device(device));
  const torch::Tensor labels = torch::randint(space.num_classes, {o.batch}, torch::TensorOptions(device).dtype(torch::kLong));
  const auto sgd = torch::optim::SGDOptions(0.01).momentum(0.9);
  torch::optim::SGD opt_super(supernet->parameters(), sgd), opt_static(fixed->parameters(), sgd);
  const auto run_super = [&](const torch::Tensor& x) { return supernet->forward(x); };
  const auto run_static = [&](const torch::Tensor& x) { return fixed->forward(x); };

  std::vector<double> t_super, t_static;
  for (int step = 0; step < o.warmup + o.steps; ++step) {
    const bool timed = step >= o.warmup;
    // Alternate which model goes first, so neither always runs on a warmer cache.
    for (int k = 0; k < 2; ++k) {
      if ((k == 0) == (step % 2 == 0)) {
        const double t = train_step(*supernet, run_super, opt_super, images, labels);
        if (timed) t_super.push_back(t);
      } else {
        const double t = train_step(*fixed, run_static, opt_static, images, labels);
        if (timed) t_static.push_back(t);
      }
    }
  }
  TrainBenchResult result;
  result.supernet_images_per_s = double(o.batch) / median(t_super);
  result.static_images_per_s = double(o.batch) / median(t_static);
  return result;
}

}  // namespace h4h
