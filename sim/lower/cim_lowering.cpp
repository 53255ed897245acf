#include "sim/lower/cim_lowering.h"

#include <algorithm>
#include <numeric>

#include "sim/core/cim_geometry.h"

namespace h4h {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
// `total` spread over `parts`: part i gets total / parts, plus one for i < total % parts.
int64_t share(int64_t total, int64_t parts, int64_t i) { return parts <= 0 ? 0 : total / parts + (i < total % parts ? 1 : 0); }

// The tiles of a part in program order, without their slots.
std::vector<cyc::CimRunTile> enumerate_tiles(const Layer& l, const CimSpec& cim, const CimTiling& t) {
  std::vector<cyc::CimRunTile> tiles;
  const int64_t per_tile = cim.cols / cim.weight_bits;
  if (l.op == OpKind::DepthwiseConv2d) {
    const int64_t kernel = int64_t(l.kernel_h) * l.kernel_w;
    for (int64_t ct = 0; ct < t.col_tiles; ++ct) {
      const int64_t channels = std::min(t.channels_per_tile, t.outputs - ct * t.channels_per_tile);
      for (int64_t rt = 0; rt < t.row_tiles; ++rt) {
        cyc::CimRunTile tile;
        tile.rows = kernel > cim.rows ? std::min<int64_t>(cim.rows, kernel - rt * cim.rows) : kernel * channels;
        tile.outputs = channels;
        tile.output_first = ct * t.channels_per_tile;
        tile.row_tile = rt;
        tile.macs = tile.rows;  // diagonal: each row multiplies into its own channel's output
        tiles.push_back(tile);
      }
    }
    return tiles;
  }
  for (int64_t g = 0; g < t.groups; ++g)
    for (int64_t ct = 0; ct < t.col_tiles; ++ct)
      for (int64_t rt = 0; rt < t.row_tiles; ++rt) {
        cyc::CimRunTile tile;
        tile.rows = std::min<int64_t>(cim.rows, t.reduction - rt * cim.rows);
        tile.outputs = std::min(per_tile, t.outputs - ct * per_tile);
        tile.output_first = g * t.outputs + ct * per_tile;
        tile.row_tile = rt;
        tile.macs = tile.rows * tile.outputs;
        tiles.push_back(tile);
      }
  return tiles;
}

}  // namespace

MramPlacer::MramPlacer(const CimSpec& cim) : cim_(cim), next_free_(size_t(std::max(1, cim.present ? cim.macros : 1)), 0) {}

int64_t MramPlacer::free_total() const {
  if (!cim_.present) return 0;
  int64_t free = 0;
  for (int used : next_free_) free += std::max(0, cim_.subarrays_per_macro - used);
  return free;
}

std::vector<MramSlot> MramPlacer::take(int64_t tiles, std::vector<int>* next_free, size_t* cursor) const {
  std::vector<MramSlot> slots;
  const size_t macros = next_free->size();
  while (int64_t(slots.size()) < tiles) {
    size_t tried = 0;
    while (tried < macros && (*next_free)[*cursor] >= cim_.subarrays_per_macro) *cursor = (*cursor + 1) % macros, ++tried;
    if (tried == macros) break;
    slots.push_back({int(*cursor), (*next_free)[*cursor]++});
    *cursor = (*cursor + 1) % macros;
  }
  return slots;
}

std::vector<MramSlot> MramPlacer::peek(int64_t tiles) const {
  std::vector<int> next_free = next_free_;
  size_t cursor = cursor_;
  return take(tiles, &next_free, &cursor);
}

std::string MramPlacer::place_resident(const Workload& w, const Mapping& m, std::vector<std::vector<MramSlot>>* slots) {
  if (std::string problem = cim_residency_problem(w, m, cim_); !problem.empty()) return problem;
  const std::vector<bool> resident = plan_cim_residency(w, m, cim_);
  slots->assign(w.layers.size(), {});
  for (size_t i = 0; i < w.layers.size(); ++i) {
    if (!resident[i]) continue;
    const Layer part = m.layers[i].split() ? layer_part(w.layers[i], Unit::Cim, m.layers[i]) : w.layers[i];
    (*slots)[i] = take(cim_tiling(part, cim_).tiles, &next_free_, &cursor_);
  }
  return "";
}

bool lower_cim(const Layer& l, const Precision& p, const HardwareSpec& hw, const cyc::TensorRef& input,
               const cyc::TensorRef& weights, const cyc::TensorRef& output, const std::vector<MramSlot>& resident_slots,
               const MramPlacer& mram, uint64_t* next_weights_id, cyc::CimTask* task, std::string* reason) {
  const CimSpec& cim = hw.cim;
  const CimTiling t = cim_tiling(l, cim);
  std::vector<cyc::CimRunTile> tiles = enumerate_tiles(l, cim, t);
  if (tiles.empty()) return *reason = "the CIM has no tiling for this layer", false;
  const int64_t positions = std::max<int64_t>(1, t.positions);
  const int64_t out_bytes_per_position = ceil_div(output.bytes, positions);
  const bool resident = !resident_slots.empty();
  std::vector<std::vector<MramSlot>> rounds;
  std::vector<std::pair<size_t, size_t>> round_tiles;  // [first, last) tile indices per round
  if (resident) {
    rounds.push_back(resident_slots);
    round_tiles.push_back({0, tiles.size()});
  } else {
    const int64_t free = mram.free_total();
    if (free <= 0) return *reason = "not resident in the CIM and no MRAM sub-array is left free to program it", false;
    // Rounds of whole output groups (a group's row tiles add up in the compute units within a round),
    // as many groups per round as the free sub-arrays hold.
    size_t first = 0;
    while (first < tiles.size()) {
      size_t last = first;
      while (last < tiles.size()) {
        size_t group_end = last + 1;
        while (group_end < tiles.size() && tiles[group_end].output_first == tiles[last].output_first) ++group_end;
        if (int64_t(group_end - first) > free) break;
        last = group_end;
      }
      if (last == first)
        return *reason = "one output group needs " + std::to_string(t.row_tiles) + " sub-arrays at once (its reduction " +
                         "slices) but only " + std::to_string(free) + " are free to program", false;
      rounds.push_back(mram.peek(int64_t(last - first)));
      round_tiles.push_back({first, last});
      first = last;
    }
  }
  const int64_t program_bytes = weights.bytes;
  const int64_t n_tiles = int64_t(tiles.size());
  int64_t weight_offset = 0;
  const bool depthwise = l.op == OpKind::DepthwiseConv2d;
  for (size_t r = 0; r < rounds.size(); ++r) {
    const auto [first, last] = round_tiles[r];
    const std::vector<MramSlot>& slots = rounds[r];
    cyc::CimProgram program;
    cyc::CimRun run;
    // Outputs of this round, renumbered from 0 per position.
    int64_t round_output_first = INT64_MAX, round_output_end = 0;
    for (size_t k = first; k < last; ++k) {
      round_output_first = std::min(round_output_first, tiles[k].output_first);
      round_output_end = std::max(round_output_end, tiles[k].output_first + tiles[k].outputs);
    }
    for (size_t k = first; k < last; ++k) {
      cyc::CimRunTile tile = tiles[k];
      tile.macro = slots[k - first].macro;
      tile.subarray = slots[k - first].subarray;
      tile.output_first -= round_output_first;
      if (!resident) {
        const uint64_t id = (*next_weights_id)++;
        cyc::CimProgramTile pt;
        pt.macro = tile.macro;
        pt.subarray = tile.subarray;
        pt.rows = tile.rows;
        pt.bytes = std::max<int64_t>(1, share(program_bytes, n_tiles, int64_t(k)));
        pt.external_address = weights.address + weight_offset;
        pt.weights_id = id;
        weight_offset += pt.bytes;
        program.tiles.push_back(pt);
        tile.weights_id = id;
      }
      run.tiles.push_back(tile);
    }
    run.positions = positions;
    run.activation_bits = p.activation_bits;
    const int64_t round_outputs = round_output_end - round_output_first;
    const int64_t total_outputs = std::max<int64_t>(1, depthwise ? t.outputs : t.groups * t.outputs);
    // Inputs: every round re-reads the layer's input, a depthwise round only its channels' share.
    run.input = {input.address, input.bytes};
    if (depthwise && rounds.size() > 1) {
      run.input.address = input.address + input.bytes * round_output_first / total_outputs;
      run.input.bytes = std::max<int64_t>(1, input.bytes * round_outputs / total_outputs);
    }
    run.output_bytes_per_position = std::max<int64_t>(1, out_bytes_per_position * round_outputs / total_outputs);
    run.output_address = output.address + out_bytes_per_position * round_output_first / total_outputs;
    if (!resident) task->commands.push_back({uint64_t(task->commands.size()), program});
    task->commands.push_back({uint64_t(task->commands.size()), run});
  }
  return true;
}

}  // namespace h4h
