#include "nas/data/split.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "nas/data/random.h"

namespace h4h::data {

SplitIndices carve_split(const std::vector<int64_t>& labels, int num_classes, size_t count, uint64_t seed) {
  const size_t n = labels.size();
  if (count > n)
    throw std::invalid_argument("carve_split: " + std::to_string(count) + " held out of " + std::to_string(n));
  std::vector<std::vector<size_t>> by_class(static_cast<size_t>(num_classes));
  for (size_t i = 0; i < n; ++i) {
    if (labels[i] < 0 || labels[i] >= num_classes)
      throw std::invalid_argument("carve_split: label " + std::to_string(labels[i]) + " out of range");
    by_class[static_cast<size_t>(labels[i])].push_back(i);
  }
  // Largest-remainder quotas: floor(count * n_c / n), then +1 for the largest remainders (ties: lower class).
  std::vector<size_t> quota(by_class.size(), 0);
  std::vector<std::pair<uint64_t, size_t>> remainders;  // (remainder numerator, class)
  size_t assigned = 0;
  for (size_t c = 0; c < by_class.size(); ++c) {
    const unsigned __int128 num = static_cast<unsigned __int128>(count) * by_class[c].size();
    quota[c] = n ? static_cast<size_t>(num / n) : 0;
    remainders.emplace_back(n ? static_cast<uint64_t>(num % n) : 0, c);
    assigned += quota[c];
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t k = 0; assigned < count; ++k) {
    size_t c = remainders[k % remainders.size()].second;
    if (quota[c] < by_class[c].size()) {
      ++quota[c];
      ++assigned;
    }
  }
  SplitIndices out;
  out.held_out.reserve(count);
  out.kept.reserve(n - count);
  for (size_t c = 0; c < by_class.size(); ++c) {
    SplitMix64 rng(mix_seed(seed, c));
    std::vector<size_t>& idx = by_class[c];
    shuffle(idx, rng);
    out.held_out.insert(out.held_out.end(), idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(quota[c]));
    out.kept.insert(out.kept.end(), idx.begin() + static_cast<std::ptrdiff_t>(quota[c]), idx.end());
  }
  std::sort(out.held_out.begin(), out.held_out.end());
  std::sort(out.kept.begin(), out.kept.end());
  return out;
}

std::vector<int64_t> all_labels(const Dataset& d) {
  std::vector<int64_t> labels(d.size());
  for (size_t i = 0; i < labels.size(); ++i) labels[i] = d.label(i);
  return labels;
}

}  // namespace h4h::data
