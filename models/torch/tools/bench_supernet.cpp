// bench_supernet: training images/s of the supernet (one active subnet) against the static module
// extracted from it, same batch, same run (issue 5: ratio >= 0.85).
//   bench_supernet [--space FILE] [--arch largest|smallest|FILE.json] [--batch B] [--steps N]
//                  [--warmup N] [--resolution R] [--threads T] [--blas-threads T] [--no-channels-last]
//                  [--json]
// Exit codes: 0 success, 2 bad input, 1 anything else.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "models/space/sampling.h"
#include "models/torch/runtime.h"
#include "models/torch/train_bench.h"
#include "sim/core/error.h"

int main(int argc, char** argv) {
  CLI::App app{"Training throughput: supernet (active subnet) vs the extracted static module"};
  std::string space_file = std::string(H4H_SOURCE_DIR) + "/models/spaces/fashion-mnist.yaml";
  std::string arch_spec = "largest";
  h4h::TrainBenchOptions options;
  int threads = 0, blas_threads = h4h::kDefaultBlasThreads;
  bool no_channels_last = false, json = false;
  app.add_option("--space", space_file, "search space YAML");
  app.add_option("--arch", arch_spec, "largest, smallest or an ArchConfig JSON file");
  app.add_option("--batch", options.batch, "images per step")->check(CLI::PositiveNumber);
  app.add_option("--steps", options.steps, "timed steps per model")->check(CLI::PositiveNumber);
  app.add_option("--warmup", options.warmup, "untimed steps per model")->check(CLI::NonNegativeNumber);
  app.add_option("--resolution", options.resolution, "image side (default: the arch's)")->check(CLI::NonNegativeNumber);
  app.add_option("--threads", threads, "intra-op threads (default: all CPUs)");
  app.add_option("--blas-threads", blas_threads, "OpenBLAS threads (0: as --threads)")->check(CLI::NonNegativeNumber);
  app.add_option("--seed", options.seed, "seed");
  app.add_option("--device", options.device, "cpu or cuda (when the linked LibTorch has it)");
  app.add_flag("--no-channels-last", no_channels_last, "keep NCHW tensors");
  app.add_flag("--json", json, "print JSON");
  CLI11_PARSE(app, argc, argv);
  try {
    const int used_threads = h4h::configure_torch_runtime(threads, blas_threads);
    options.channels_last = !no_channels_last;
    const h4h::SearchSpace space = h4h::load_search_space(space_file);
    const h4h::ArchConfig arch = arch_spec == "largest"    ? h4h::largest_arch(space)
                                 : arch_spec == "smallest" ? h4h::smallest_arch(space)
                                                           : h4h::load_arch(arch_spec, space);
    const h4h::TrainBenchResult r = h4h::bench_supernet_training(space, arch, options);
    const int res = options.resolution > 0 ? options.resolution : arch.resolution;
    if (json) {
      nlohmann::json out = {{"space", space.name},
                            {"arch", h4h::arch_to_json(arch, space)},
                            {"batch", options.batch},
                            {"resolution", res},
                            {"steps", options.steps},
                            {"threads", used_threads},
                            {"channels_last", options.channels_last},
                            {"supernet_images_per_s", r.supernet_images_per_s},
                            {"static_images_per_s", r.static_images_per_s},
                            {"ratio", r.ratio()}};
      std::cout << out.dump(2) << "\n";
    } else {
      fmt::print("space {} arch {} batch {}x{}x{}x{} threads {} channels_last {}\n", space.name, h4h::arch_key(arch),
                 options.batch, space.input_channels, res, res, used_threads, options.channels_last);
      fmt::print("supernet (active subnet)  {:9.1f} images/s\n", r.supernet_images_per_s);
      fmt::print("static (extracted)        {:9.1f} images/s\n", r.static_images_per_s);
      fmt::print("ratio                     {:9.3f}\n", r.ratio());
    }
    return 0;
  } catch (const h4h::InputError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
