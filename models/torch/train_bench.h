#pragma once
// Training throughput of the supernet against the static network of the same architecture
// (issue 5's speed check: ratio >= 0.85). Torch-free header, for `h4h bench` and tools/bench_supernet.
#include <cstdint>
#include <string>

#include "models/space/arch_config.h"

namespace h4h {

struct TrainBenchOptions {
  int64_t batch = 64;
  int resolution = 0;  // image side; 0: the architecture's resolution
  int steps = 20;      // timed steps per model
  int warmup = 3;      // untimed steps per model first
  uint64_t seed = 1;
  bool channels_last = true;
  std::string device = "cpu";
};

struct TrainBenchResult {
  double supernet_images_per_s = 0, static_images_per_s = 0;
  double ratio() const { return static_images_per_s > 0 ? supernet_images_per_s / static_images_per_s : 0; }
};

// One training step = forward, cross-entropy on random labels, backward, SGD (momentum 0.9) step,
// on the same random batch for both models. The supernet (active subnet `arch`) and the static
// module extracted from it alternate step by step, in alternating order, so load from other
// processes hits both alike; images/s are batch / the median step time (robust to load spikes on a
// shared machine). Throws InputError when `arch` is not in `space`.
TrainBenchResult bench_supernet_training(const SearchSpace& space, const ArchConfig& arch,
                                         const TrainBenchOptions& options);

}  // namespace h4h
