#pragma once
// How each SRAM port of a systolic array is driven during one fold, per dataflow (the mechanism of
// SCALE-Sim v2's systolic_compute_{os,ws,is}.py, restated as per-lane timelines).
//
// Mapping. Each dataflow lays one operand matrix product out on the array as
//   os: spatial rows = ofmap pixels,  spatial cols = filters,      temporal = window elements
//   ws: spatial rows = window elems,  spatial cols = filters,      temporal = ofmap pixels
//   is: spatial rows = window elems,  spatial cols = ofmap pixels, temporal = filters
// A fold is one tile of the spatial rows x spatial cols on the array_rows x array_cols PEs:
// fold (fr, fc) holds spatial rows [fr * array_rows, ...) and spatial cols [fc * array_cols, ...)
// (the last tile of each may be partial), and its index is fc * row_folds + fr (SCALE-Sim's order:
// column tiles outer, row tiles inner). A fold streams the whole temporal dimension, then drains;
// folds do not overlap and every fold of a layer lasts the same number of cycles.
//
// Port timeline. A port has `lanes` trace columns (one per array row or column). In a fold, lane k
// issues its `length` elements on fold cycles lead + (skewed ? k : 0) + t, t = 0 .. length - 1, and
// is idle (-1) otherwise; the fold lasts lead + length + tail (+ lanes - 1 when skewed) cycles.
// Element t of lane k addresses the port's operand matrix at (first, second) coordinates
// (ifmap: pixel, window index; filter: window index, filter; ofmap: pixel, filter), each from a
// CoordinateSource; a lane or a time step outside the fold's used tile issues nothing (-1).
//
// The timelines (array R x C, temporal extent T; "bottom first" = ReversedTime over the tile):
//   os  ifmap   R lanes  lead 0       T elements  skewed  pixel = tile lane, window = t
//       filter  C lanes  lead 0       T elements  skewed  window = t, filter = tile lane
//       ofmap   C lanes  lead T - 1   R elements  skewed  pixel = tile row bottom first, filter = lane
//   ws  ifmap   R lanes  lead R       T elements  skewed  pixel = t, window = tile lane
//       filter  C lanes  lead 0       R elements  aligned window = tile row bottom first, filter = lane
//       ofmap   C lanes  lead 2R - 1  T elements  skewed  pixel = t, filter = tile lane
//   is  ifmap   C lanes  lead 0       R elements  aligned pixel = tile lane, window = bottom first
//       filter  R lanes  lead R       T elements  skewed  window = tile lane, filter = t
//       ofmap   C lanes  lead 2R - 1  T elements  skewed  pixel = tile lane, filter = t
// with tails that end all three together: a fold lasts T + R + C - 2 cycles in os and
// T + 2R + C - 2 in ws and is (systolic_port_schedule.cpp says why, per dataflow).
#include <array>
#include <cstdint>

#include "sim/core/hardware.h"

namespace h4h::cyc {

enum class SystolicOperand { Ifmap, Filter, Ofmap };

// One operand-matrix coordinate of a port element.
struct CoordinateSource {
  enum class Kind {
    Lane,          // base + lane, for lanes < used (the fold's tile along the lanes)
    Time,          // t: the whole temporal dimension, one element per step
    ReversedTime,  // base + (length - 1 - t), for values < used (loaded bottom row first)
  };
  Kind kind = Kind::Time;
  int64_t base = 0;
  int64_t used = 0;  // Lane, ReversedTime: the size of the fold's tile along this coordinate

  // The coordinate of element t of `lane` in a timeline of `length` elements, -1 for none.
  int64_t resolve(int64_t t, int64_t lane, int64_t length) const {
    switch (kind) {
      case Kind::Lane: return lane < used ? base + lane : -1;
      case Kind::Time: return t;
      case Kind::ReversedTime: {
        const int64_t k = length - 1 - t;
        return k < used ? base + k : -1;
      }
    }
    return -1;
  }
  // [begin, end) of the coordinates this source yields over a whole fold.
  int64_t range_begin() const { return kind == Kind::Time ? 0 : base; }
  int64_t range_end(int64_t length) const { return kind == Kind::Time ? length : base + used; }
};

struct PortSchedule {
  SystolicOperand operand = SystolicOperand::Ifmap;
  int64_t lanes = 1;   // trace columns of this port
  int64_t lead = 0;    // fold cycles before lane 0 issues its first element
  int64_t length = 1;  // elements each lane issues per fold
  int64_t tail = 0;    // fold cycles after lane 0's last element (before the skew of the others)
  bool skewed = false; // lane k runs k cycles behind lane 0
  CoordinateSource first, second;

  // Cycles of one fold as this port sees it.
  int64_t span() const { return lead + length + tail + (skewed ? lanes - 1 : 0); }
  // The element index lane `lane` issues on fold cycle `fold_cycle`, or -1 when it is idle.
  int64_t element_index(int64_t fold_cycle, int64_t lane) const {
    const int64_t t = fold_cycle - lead - (skewed ? lane : 0);
    return t >= 0 && t < length ? t : -1;
  }
};

// The extent of the layer along the dataflow's axes (see the table above).
struct DataflowExtent {
  int64_t spatial_rows = 1;
  int64_t spatial_cols = 1;
  int64_t temporal = 1;
};
DataflowExtent dataflow_extent(Dataflow dataflow, int64_t ofmap_pixels, int64_t window_size,
                               int64_t num_filters);

// The fold's tile: spatial rows [row_begin, row_begin + rows_used), cols likewise.
struct FoldTile {
  int64_t row_begin = 0, rows_used = 1;
  int64_t col_begin = 0, cols_used = 1;
};

// The three port timelines of a fold of an array_rows x array_cols array: ifmap, filter, ofmap.
std::array<PortSchedule, 3> fold_port_schedules(Dataflow dataflow, int64_t array_rows,
                                                int64_t array_cols, int64_t temporal,
                                                const FoldTile& tile);

}  // namespace h4h::cyc
