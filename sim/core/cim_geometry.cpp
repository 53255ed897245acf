#include "sim/core/cim_geometry.h"

#include <algorithm>

namespace h4h {

namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

CimTiling cim_tiling(const Layer& l, const CimSpec& cim) {
  CimTiling t;
  if (!cim.present || cim.rows <= 0 || cim.cols < cim.weight_bits) return t;
  const int64_t weights_per_row = cim.cols / cim.weight_bits;  // column groups in a tile
  switch (l.op) {
    case OpKind::Conv2d:
      t.groups = l.groups;
      t.reduction = int64_t(l.kernel_h) * l.kernel_w * (l.input.c / l.groups);
      t.outputs = l.out_channels / l.groups;
      t.positions = l.output.h * l.output.w;
      break;
    case OpKind::Linear:
      t.reduction = l.input.c;
      t.outputs = l.out_features;
      t.positions = l.input.h * l.input.w;
      break;
    case OpKind::DepthwiseConv2d: {
      const int64_t kernel = int64_t(l.kernel_h) * l.kernel_w;
      t.reduction = kernel;
      t.outputs = l.out_channels;
      t.positions = l.output.h * l.output.w;
      t.row_tiles = ceil_div(kernel, cim.rows);
      t.channels_per_tile = std::max<int64_t>(1, std::min(cim.rows / std::min<int64_t>(kernel, cim.rows), weights_per_row));
      if (kernel > cim.rows) t.channels_per_tile = 1;
      t.col_tiles = ceil_div(l.out_channels, t.channels_per_tile);
      t.tiles = t.row_tiles * t.col_tiles;
      t.rows_used = std::min<int64_t>(cim.rows, kernel * t.channels_per_tile);
      t.footprint_bits = t.tiles * cim.rows * cim.cols;
      t.partial_sums_per_position = t.row_tiles * l.out_channels;
      return t;
    }
    default:
      return t;
  }
  t.row_tiles = ceil_div(t.reduction, cim.rows);
  t.col_tiles = ceil_div(t.outputs, weights_per_row);
  t.tiles = t.groups * t.row_tiles * t.col_tiles;
  t.rows_used = std::min<int64_t>(cim.rows, t.reduction);
  t.footprint_bits = t.tiles * cim.rows * cim.cols;
  t.partial_sums_per_position = t.groups * t.row_tiles * t.outputs;
  return t;
}

}  // namespace h4h

namespace h4h {

namespace {

// Allocates pinned layers, then Auto ones; returns the first pinned layer that did not fit (or -1).
int allocate(const Workload& w, const Mapping& m, const CimSpec& cim, std::vector<bool>& resident) {
  resident.assign(w.layers.size(), false);
  int64_t left = cim.capacity_bits();
  auto footprint = [&](size_t i) { return cim_tiling(layer_part(w.layers[i], Unit::Cim, m.layers[i]), cim).footprint_bits; };
  int failed = -1;
  for (CimWeights pass : {CimWeights::Resident, CimWeights::Auto}) {
    for (size_t i = 0; i < w.layers.size() && i < m.layers.size(); ++i) {
      if (!m.layers[i].on_cim() || m.layers[i].weights != pass) continue;
      const int64_t bits = footprint(i);
      if (bits > 0 && bits <= left) {
        resident[i] = true;
        left -= bits;
      } else if (pass == CimWeights::Resident && failed < 0) {
        failed = static_cast<int>(i);
      }
    }
  }
  return failed;
}

}  // namespace

std::vector<bool> plan_cim_residency(const Workload& w, const Mapping& m, const CimSpec& cim) {
  std::vector<bool> resident;
  allocate(w, m, cim, resident);
  return resident;
}

std::string cim_residency_problem(const Workload& w, const Mapping& m, const CimSpec& cim) {
  std::vector<bool> resident;
  const int failed = allocate(w, m, cim, resident);
  if (failed < 0) return "";
  return "layer '" + w.layers[failed].name + "' is pinned resident but its weights do not fit the CIM's MRAM";
}

int64_t cim_tiles(const Layer& layer, const CimSpec& cim) { return cim_tiling(layer, cim).tiles; }

}  // namespace h4h
