#pragma once
// A search space small enough to enumerate (15,680 subnets), fixed accuracies for it, and the
// estimator's costs on h4h-default: the ground truth the search tests measure a search against.
//
// The accuracies stand in for a trained supernet's (a test cannot train one): top-1 grows with
// log MACs from 70% to 90% across the space, transformer blocks in the last stage add up to 1%
// (the hybrid advantage H4H-NAS reports), and a fixed per-architecture perturbation of +-0.5%
// (FNV-1a of its key) keeps the front irregular, as measured accuracies are.
#include <algorithm>
#include <set>
#include <cmath>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/space/arch_workload.h"
#include "models/space/enumerate.h"
#include "models/space/sampling.h"
#include "nas/search/estimated_cost.h"
#include "nas/search/pareto.h"
#include "nas/search/search_run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {

inline const char* kTinySpaceYaml = R"(version: 1
name: tiny-enum
input_channels: 1
num_classes: 10
resolutions: [28]
activation: swish
first_conv: {widths: [16], kernel: 3, stride: 2}
stages:
  - {name: s1, widths: [16], depths: [1], stride: 1, mbconv: {kernels: [3], expands: [1], se: [false]}}
  - {name: s2, widths: [24], depths: [1, 2], stride: 2, mbconv: {kernels: [3, 5], expands: [2, 4], se: [false]}}
  - {name: s3, widths: [32, 48], depths: [1, 2], stride: 2,
     mbconv: {kernels: [3], expands: [2, 4], se: [false]},
     transformer: {heads: [2, 4], head_dims: [8], mlp_ratios: [1, 2]}, later_blocks: [mbconv, transformer]}
  - {name: s4, widths: [48, 64], depths: [1, 2], stride: 1,
     mbconv: {kernels: [3], expands: [2, 4], se: [false]},
     transformer: {heads: [2, 4], head_dims: [8], mlp_ratios: [1, 2]}, later_blocks: [mbconv, transformer]}
head: {conv_widths: [128], fc_widths: [256]}
)";

inline uint64_t fnv1a(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Scores of the tiny space's subnets, computed on demand and cached: the fixed accuracies above and
// the estimator's costs on h4h-default.
class TinyOracles {
 public:
  explicit TinyOracles(const char* space_yaml = kTinySpaceYaml)
      : space(parse_search_space(space_yaml, "tiny-enum.yaml")),
        estimate_(space, test::source_dir() + "/hwconfigs/h4h-default.yaml", {}),
        log_lo_(std::log(macs(smallest_arch(space)))),
        log_hi_(std::log(macs(largest_arch(space)))) {}

  const SearchSpace space;
  const std::vector<SearchObjective> objectives{SearchObjective::Accuracy, SearchObjective::Latency,
                                                SearchObjective::Energy};

  double accuracy(const ArchConfig& a) const {
    const std::string key = arch_key(a);
    int late_transformers = 0;
    for (const BlockConfig& b : a.stages.back().blocks) late_transformers += b.type == BlockType::Transformer;
    const double noise = double(fnv1a(key) % 1001) / 1000.0 - 0.5;
    return 0.70 + 0.20 * (std::log(macs(a)) - log_lo_) / (log_hi_ - log_lo_) + 0.01 * late_transformers + 0.01 * noise;
  }

  // Latency, energy and macros (accuracy 0) of a candidate on h4h-default with its genes.
  Scores cost(const Candidate& c) const {
    const std::string key = candidate_key(c);
    auto it = cost_.find(key);
    if (it == cost_.end()) it = cost_.emplace(key, estimate_(c)).first;
    return it->second;
  }
  Scores cost(const ArchConfig& a) const { return cost(Candidate{a, {}}); }

  SearchOracles oracles() const {
    SearchOracles o;
    o.accuracy = [this](const std::vector<ArchConfig>& batch) {
      std::vector<double> out;
      for (const ArchConfig& a : batch) out.push_back(accuracy(a));
      return out;
    };
    o.hw_cost = [this](const Candidate& c) { return cost(c); };
    return o;
  }

  SearchSetup setup(uint64_t seed, int population) const {
    SearchSetup s;
    s.space = &space;
    s.objectives = objectives;
    s.population = population;
    s.seed = seed;
    return s;
  }

 private:
  double macs(const ArchConfig& a) const { return double(count_workload(arch_to_workload(a, space)).macs); }
  mutable EstimatedCost estimate_;
  mutable std::unordered_map<std::string, Scores> cost_;
  double log_lo_, log_hi_;
};

inline const TinyOracles& tiny() {
  static const TinyOracles oracles;
  return oracles;
}

// The enumerated truth: every subnet scored, the nadir as hypervolume reference, the true front's
// hypervolume.
struct GroundTruth {
  std::vector<ArchConfig> archs = enumerate_archs(tiny().space);
  Point reference;  // the worst of each objective over the space
  double true_hypervolume = 0;

  GroundTruth() {
    std::vector<Point> points;
    for (const ArchConfig& a : archs) {
      Scores s = tiny().cost(a);
      s.accuracy = tiny().accuracy(a);
      points.push_back(minimized(s, tiny().objectives));
    }
    reference = points[0];
    for (const Point& p : points)
      for (size_t k = 0; k < p.size(); ++k) reference[k] = std::max(reference[k], p[k]);
    true_hypervolume = hypervolume(points, reference);
  }
};

inline const GroundTruth& ground_truth() {
  static const GroundTruth truth;
  return truth;
}

}  // namespace h4h::test
