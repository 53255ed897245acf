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

// Allocates pinned layers, then Auto ones, these leaving `auto_reserve_bits` free; returns the
// first pinned layer that did not fit (or -1). `left`: the bits left free; `streamed`: whether some
// CIM part with weights stays not resident.
int allocate(const Workload& w, const Mapping& m, const CimSpec& cim, std::vector<bool>& resident,
             int64_t auto_reserve_bits = 0, int64_t* left_out = nullptr, bool* streamed_out = nullptr) {
  resident.assign(w.layers.size(), false);
  int64_t left = cim.capacity_bits();
  auto footprint = [&](size_t i) {
    const Layer& l = w.layers[i];
    return (m.layers[i].split() ? cim_tiling(layer_part(l, Unit::Cim, m.layers[i]), cim) : cim_tiling(l, cim)).footprint_bits;
  };
  int failed = -1;
  bool streamed = false;
  for (CimWeights pass : {CimWeights::Resident, CimWeights::Auto, CimWeights::Streamed}) {
    for (size_t i = 0; i < w.layers.size() && i < m.layers.size(); ++i) {
      if (!m.layers[i].on_cim() || m.layers[i].weights != pass) continue;
      const int64_t bits = footprint(i);
      if (pass != CimWeights::Streamed && bits > 0 && bits <= left - (pass == CimWeights::Auto ? auto_reserve_bits : 0)) {
        resident[i] = true;
        left -= bits;
      } else {
        if (pass == CimWeights::Resident && failed < 0) failed = static_cast<int>(i);
        if (bits > 0) streamed = true;
      }
    }
  }
  if (left_out) *left_out = left;
  if (streamed_out) *streamed_out = streamed;
  return failed;
}

}  // namespace

std::vector<bool> plan_cim_residency(const Workload& w, const Mapping& m, const CimSpec& cim) {
  std::vector<bool> resident;
  int64_t left = 0;
  bool streamed = false;
  allocate(w, m, cim, resident, 0, &left, &streamed);
  // Streamed parts are programmed into free sub-arrays: if Auto layers took the last ones, keep one
  // sub-array per macro free of them.
  if (streamed && left <= 0) allocate(w, m, cim, resident, int64_t(cim.macros) * cim.rows * cim.cols);
  return resident;
}

std::string cim_residency_problem(const Workload& w, const Mapping& m, const CimSpec& cim) {
  std::vector<bool> resident;
  const int failed = allocate(w, m, cim, resident);
  if (failed >= 0) return "layer '" + w.layers[failed].name + "' is pinned resident but its weights do not fit the CIM's MRAM";
  if (cim.reprogram == CimReprogram::PerInference) return "";
  // MRAM weights are stationary: every CIM part with weights must stay resident.
  for (size_t i = 0; i < w.layers.size() && i < m.layers.size(); ++i) {
    if (!m.layers[i].on_cim() || resident[i]) continue;
    const Layer part = m.layers[i].split() ? layer_part(w.layers[i], Unit::Cim, m.layers[i]) : w.layers[i];
    if (cim_tiling(part, cim).footprint_bits <= 0) continue;
    if (m.layers[i].weights == CimWeights::Streamed)
      return "layer '" + w.layers[i].name + "' pins its CIM weights streamed, but cim.reprogram is never (MRAM weights are " +
             "stationary); set cim.reprogram: per_inference to allow it";
    return "layer '" + w.layers[i].name + "' is placed on the CIM, but its weights do not fit the MRAM left free and " +
           "cim.reprogram is never (MRAM weights are stationary): place it on the NPU or set cim.reprogram: per_inference";
  }
  return "";
}

int64_t cim_tiles(const Layer& layer, const CimSpec& cim) { return cim_tiling(layer, cim).tiles; }

double cim_peak_macs_per_cycle(const CimSpec& cim, int activation_bits) {
  if (!cim.present) return 0;
  const double passes = double((activation_bits + cim.input_bits_per_cycle - 1) / cim.input_bits_per_cycle);
  return double(cim.macros) * cim.rows * (cim.cols / cim.weight_bits) / passes;
}

}  // namespace h4h
