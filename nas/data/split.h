#pragma once
// Carving a held-out split (validation, or a test set for a single ImageFolder tree) from a dataset.
//
// The carve is stratified and seeded: each class gives its share of `count` in proportion to its size
// (largest-remainder rounding, ties to the lower class), chosen by a Fisher-Yates shuffle of that
// class's indices with a stream derived from (seed, class). The result depends only on (the labels,
// count, seed), is identical on every platform, and the two parts are disjoint and together hold
// every index exactly once. Both lists are sorted.
#include <cstdint>
#include <vector>

#include "nas/data/dataset.h"

namespace h4h::data {

struct SplitIndices {
  std::vector<size_t> kept;      // the rest (e.g. the search's training data)
  std::vector<size_t> held_out;  // `count` indices (e.g. the validation split)
};

// `labels[i]` in [0, num_classes); count <= labels.size() (std::invalid_argument otherwise).
SplitIndices carve_split(const std::vector<int64_t>& labels, int num_classes, size_t count, uint64_t seed);

// The labels of every sample of `d` (no decoding).
std::vector<int64_t> all_labels(const Dataset& d);

}  // namespace h4h::data
