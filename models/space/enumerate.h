#pragma once
// Every architecture of a (small) search space, for exhaustive baselines: the true Pareto front a
// search is measured against, and exhaustive sweeps of tiny spaces.
// Contract: throws InputError when the space holds more than `limit` architectures (the count is in
// the message), so a large space is refused up front instead of exhausting memory.
#include <cstdint>
#include <vector>

#include "models/space/arch_config.h"

namespace h4h {

std::vector<ArchConfig> enumerate_archs(const SearchSpace& space, int64_t limit = 1000000);

}  // namespace h4h
