#pragma once
// The set of operand addresses a systolic fold touches, summarised as a range and a count, computed
// from the fold's coordinate ranges without enumerating its accesses.
#include <cstdint>

#include "sim/systemc/npu/systolic/systolic_layer.h"

namespace h4h::cyc {

// [begin, end) along one operand-matrix coordinate.
struct IndexRange {
  int64_t begin = 0;
  int64_t end = 0;
  int64_t size() const { return end > begin ? end - begin : 0; }
};

// Local addresses (operand offset excluded): the lowest and highest touched, inclusive, and how
// many distinct addresses lie between them that are touched. lo = hi = -1 when distinct is 0.
struct AddressFootprint {
  int64_t lo = -1;
  int64_t hi = -1;
  int64_t distinct = 0;
};

// The addresses a fold reads (ifmap, filter) or writes (ofmap).
struct FoldFootprint {
  AddressFootprint ifmap;
  AddressFootprint filter;
  AddressFootprint ofmap;
};

// {ifmap_address(p, w) != -1 : p in pixels, w in window}. Windows of neighbouring pixels overlap when
// stride < filter, so this is a union; cost O(ifmap pixels in the bounding box x
// ceil(filter_h / stride) x ceil(filter_w / stride)).
AddressFootprint ifmap_footprint(const OperandLayout& layout, IndexRange pixels, IndexRange window);

// {row * width + col : row in rows, col in cols}, cols inside [0, width).
AddressFootprint grid_footprint(IndexRange rows, IndexRange cols, int64_t width);

}  // namespace h4h::cyc
