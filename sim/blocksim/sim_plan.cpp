#include "sim/blocksim/sim_plan.h"

#include <algorithm>
#include <numeric>

#include "sim/core/cim_geometry.h"
#include "sim/engines/npu_engine_registry.h"

namespace h4h::blocksim {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
// The part of `total` that the first `k` of `n` items carry (exact when differenced).
int64_t prefix(int64_t total, int64_t k, int64_t n) { return n > 0 ? int64_t((__int128)total * k / n) : 0; }

// Free sub-arrays per macro; tiles go round-robin to macros with room.
class MramAllocator {
 public:
  MramAllocator(int macros, int64_t subarrays) : free_(size_t(std::max(1, macros)), subarrays) {}
  int64_t free_total() const { return std::accumulate(free_.begin(), free_.end(), int64_t(0)); }
  // Places min(tiles, free_total()) tiles; returns the macro of each.
  std::vector<int> place(int64_t tiles) {
    std::vector<int> where;
    const size_t m = free_.size();
    while (int64_t(where.size()) < tiles) {
      size_t tried = 0;
      while (tried < m && free_[next_] == 0) next_ = (next_ + 1) % m, ++tried;
      if (tried == m) break;
      --free_[next_];
      where.push_back(int(next_));
      next_ = (next_ + 1) % m;
    }
    return where;
  }

 private:
  std::vector<int64_t> free_;
  size_t next_ = 0;
};

int64_t busiest(const std::vector<int>& tile_macro, int macros) {
  std::vector<int64_t> n(size_t(std::max(1, macros)), 0);
  for (int m : tile_macro) ++n[size_t(m)];
  return tile_macro.empty() ? 0 : *std::max_element(n.begin(), n.end());
}

PartJob npu_part(const Layer& part, int index, const Workload& w, const HardwareSpec& hw) {
  PartJob job;
  job.layer = index;
  job.unit = Unit::Npu;
  job.name = w.layers[size_t(index)].name;
  job.npu.schedule = npu_engine(hw.npu).lower(part, w.precision, hw.npu);
  const LayerCounts counts = count_layer(part, w.precision);
  job.npu.macs = counts.macs;
  job.npu.elementwise_ops = counts.elementwise_ops + (is_mac_op(part.op) ? part.output.elements() : 0);
  return job;
}

// Rounds of a CIM part: one round when resident (placed already) or when it fits the free MRAM.
PartJob cim_part(const Layer& part, int index, const Workload& w, const HardwareSpec& hw, bool resident,
                 const std::vector<int>& resident_tiles, MramAllocator& free_mram, std::string* reason) {
  const CimSpec& cim = hw.cim;
  const CimTiling t = cim_tiling(part, cim);
  const LayerCounts counts = count_layer(part, w.precision);
  PartJob job;
  job.layer = index;
  job.unit = Unit::Cim;
  job.name = w.layers[size_t(index)].name;
  CimJob& c = job.cim;
  c.positions = t.positions;
  c.chunks = kCimChunks;
  c.bit_passes = ceil_div(w.precision.activation_bits, cim.input_bits_per_cycle);
  c.rows_used = t.rows_used;
  const int64_t cu_cycles = ceil_div(t.positions * t.partial_sums_per_position, int64_t(cim.compute_units) * cim.cu_outputs_per_cycle);
  const int64_t cu_ops = t.positions * t.partial_sums_per_position;
  const int64_t program_bytes = counts.weight_bytes + counts.bias_bytes;
  std::vector<std::vector<int>> rounds;
  if (resident) {
    rounds.push_back(resident_tiles);
  } else {
    // A streamed layer's tiles are freed after it runs: every round starts from the same free MRAM.
    const int64_t free = free_mram.free_total();
    if (free <= 0) {
      *reason = "layer '" + job.name + "' is not resident in the CIM and no MRAM sub-array is left free to program it";
      return job;
    }
    const int64_t n = t.tiles > 0 ? ceil_div(t.tiles, std::min(t.tiles, free)) : 0;
    for (int64_t r = 0; r < n; ++r) {
      MramAllocator round_alloc = free_mram;
      rounds.push_back(round_alloc.place(share(t.tiles, n, r)));
    }
  }
  const int64_t n = int64_t(rounds.size());
  const bool depthwise = part.op == OpKind::DepthwiseConv2d;
  int64_t done = 0;
  for (const std::vector<int>& tiles : rounds) {
    const int64_t k = int64_t(tiles.size()), from = done, to = done + k;
    CimRound r;
    r.tile_macro = tiles;
    r.waves = busiest(tiles, cim.macros);
    r.program = !resident;
    auto portion = [&](int64_t total) { return prefix(total, to, t.tiles) - prefix(total, from, t.tiles); };
    r.program_bytes = r.program ? portion(program_bytes) : 0;
    r.input_bytes = (depthwise || n == 1) ? portion(counts.input_bytes) : counts.input_bytes;
    r.output_bytes = portion(counts.output_bytes);
    r.cu_cycles = portion(cu_cycles);
    r.macs = portion(counts.macs);
    r.cu_ops = portion(cu_ops);
    c.rounds.push_back(std::move(r));
    done = to;
  }
  return job;
}

}  // namespace

bool build_plan(const Workload& w, const HardwareSpec& hw, const Mapping& m, SimPlan* plan, std::string* reason) {
  reason->clear();
  if (std::string problem = mapping_problem(w, hw, m); !problem.empty()) return *reason = problem, false;
  std::vector<bool> resident(w.layers.size(), false);
  MramAllocator mram(hw.cim.macros, hw.cim.present ? hw.cim.subarrays_per_macro : 0);
  std::vector<std::vector<int>> resident_tiles(w.layers.size());
  if (hw.cim.present) {
    const std::string problem = cim_residency_problem(w, m, hw.cim);
    if (!problem.empty()) return *reason = problem, false;
    resident = plan_cim_residency(w, m, hw.cim);
    for (size_t i = 0; i < w.layers.size(); ++i) {
      if (!resident[i]) continue;
      const int64_t tiles = cim_tiling(layer_part(w.layers[i], Unit::Cim, m.layers[i]), hw.cim).tiles;
      resident_tiles[i] = mram.place(tiles);
    }
  }

  plan->layers.assign(w.layers.size(), LayerJobs{});
  plan->parts.clear();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    const Placement& p = m.layers[i];
    plan->layers[i].producers = l.inputs;
    if (p.on_npu()) {
      PartJob job = npu_part(p.split() ? layer_part(l, Unit::Npu, p) : l, int(i), w, hw);
      if (!job.npu.schedule.supported) return *reason = "layer '" + l.name + "': " + job.npu.schedule.reason, false;
      plan->layers[i].parts.push_back(int(plan->parts.size()));
      plan->parts.push_back(std::move(job));
    }
    if (p.on_cim()) {
      PartJob job = cim_part(p.split() ? layer_part(l, Unit::Cim, p) : l, int(i), w, hw, resident[i], resident_tiles[i],
                             mram, reason);
      if (!reason->empty()) return false;
      plan->layers[i].parts.push_back(int(plan->parts.size()));
      plan->parts.push_back(std::move(job));
    }
  }
  return true;
}

}  // namespace h4h::blocksim
