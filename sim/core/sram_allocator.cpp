#include "sim/core/sram_allocator.h"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include <fmt/format.h>

namespace h4h {
namespace {

int64_t align_up(int64_t x, int64_t alignment) { return (x + alignment - 1) / alignment * alignment; }

bool overlap_in_time(const TensorLifetime& a, const TensorLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

}  // namespace

SramAllocation allocate_sram(const std::vector<TensorLifetime>& tensors, int64_t capacity_bytes, int64_t alignment) {
  if (alignment < 1) throw std::invalid_argument("allocate_sram: alignment must be at least 1");
  for (const TensorLifetime& t : tensors)
    if (t.bytes < 0 || t.last_step < t.first_step)
      throw std::invalid_argument("allocate_sram: malformed tensor " + t.name);

  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const TensorLifetime &x = tensors[a], &y = tensors[b];
    if (x.bytes != y.bytes) return x.bytes > y.bytes;
    if (x.first_step != y.first_step) return x.first_step < y.first_step;
    return x.name < y.name;
  });

  SramAllocation out;
  out.address.assign(tensors.size(), -1);
  std::vector<size_t> placed;
  for (size_t i : order) {
    const TensorLifetime& t = tensors[i];
    // Ranges held by live-overlapping tensors, by start address.
    std::vector<std::pair<int64_t, int64_t>> busy;
    for (size_t j : placed)
      if (overlap_in_time(t, tensors[j]) && tensors[j].bytes > 0)
        busy.emplace_back(out.address[j], out.address[j] + tensors[j].bytes);
    std::sort(busy.begin(), busy.end());
    int64_t candidate = 0;
    for (const auto& [begin, end] : busy) {
      if (candidate + t.bytes <= begin) break;  // fits in the gap before this range
      candidate = std::max(candidate, align_up(end, alignment));
    }
    if (candidate + t.bytes > capacity_bytes) {
      out.reason = fmt::format("tensor {} ({} bytes, live from step {} to {}) does not fit the {} bytes of shared SRAM: "
                               "the lowest free address for it is {}",
                               t.name, t.bytes, t.first_step, t.last_step, capacity_bytes, candidate);
      out.address.clear();
      return out;
    }
    out.address[i] = candidate;
    out.peak_bytes = std::max(out.peak_bytes, candidate + t.bytes);
    placed.push_back(i);
  }
  out.ok = true;
  return out;
}

std::vector<TensorLifetime> activation_lifetimes(const Workload& workload) {
  const int steps = int(workload.layers.size());
  std::vector<int> last_reader(workload.layers.size(), -1);
  for (int i = 0; i < steps; ++i)
    for (int p : workload.layers[size_t(i)].inputs) last_reader[size_t(p)] = std::max(last_reader[size_t(p)], i);
  std::vector<TensorLifetime> tensors;
  for (int i = 0; i < steps; ++i) {
    const Layer& l = workload.layers[size_t(i)];
    const LayerCounts counts = count_layer(l, workload.precision);
    if (l.inputs.empty() && counts.input_bytes > 0) tensors.push_back({l.name + ".in", counts.input_bytes, 0, i});
    if (counts.output_bytes > 0) {
      const int last = last_reader[size_t(i)] >= 0 ? last_reader[size_t(i)] : steps - 1;
      tensors.push_back({l.name + ".out", counts.output_bytes, i, std::max(i, last)});
    }
  }
  return tensors;
}

SramAllocation allocate_activations(const Workload& workload, const HardwareSpec& hw,
                                    std::vector<TensorLifetime>* lifetimes) {
  std::vector<TensorLifetime> tensors = activation_lifetimes(workload);
  SramAllocation a = allocate_sram(tensors, hw.sram.size_kb * 1024, std::max<int64_t>(16, hw.sram.interleave_bytes));
  if (lifetimes) *lifetimes = std::move(tensors);
  return a;
}

std::string sram_fit_reason(const HardwareSpec& hw, const SramAllocation& a) {
  return "the activations do not fit the shared SRAM (sram.size_kb " + std::to_string(hw.sram.size_kb) + "): " + a.reason;
}

}  // namespace h4h
