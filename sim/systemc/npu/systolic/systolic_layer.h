#pragma once
// One layer as SCALE-Sim v2 sees it (an unpadded convolution; a GEMM is a convolution of a special
// shape) and the SRAM address layouts of its three operands (SCALE-Sim's operand matrices).
//
// Addresses are word addresses (one word per element). "Local" addresses count from the start of
// their operand; the trace addresses add the operand's offset (OperandOffsets).
#include <cstdint>

namespace h4h::cyc {

// An unpadded convolution, SCALE-Sim's topology row: ifmap ifmap_h x ifmap_w x channels,
// num_filters filters of filter_h x filter_w x channels, the same stride along both axes.
struct SystolicLayerShape {
  int64_t ifmap_h = 1;
  int64_t ifmap_w = 1;
  int64_t filter_h = 1;
  int64_t filter_w = 1;
  int64_t channels = 1;
  int64_t num_filters = 1;
  int64_t stride = 1;
};

// GEMM (M x K) * (K x N) as SCALE-Sim runs it: ifmap M x K, one 1 x K filter per output column,
// channels 1, num_filters N, stride 1 (so the ofmap has M x 1 pixels, each a dot product of K).
SystolicLayerShape gemm_layer_shape(int64_t m, int64_t n, int64_t k);

// Where each operand starts in the trace address space (SCALE-Sim's IfmapOffset, FilterOffset,
// OfmapOffset; these are its defaults).
struct OperandOffsets {
  int64_t ifmap = 0;
  int64_t filter = 10000000;
  int64_t ofmap = 20000000;
};

// The derived dimensions of a layer and its operand layouts, all in local addresses:
//   ifmap element (row, col, channel)         at (row * ifmap_w + col) * channels + channel
//   filter f, window index w                  at f * window_size + w
//   ofmap pixel p (row-major), filter f       at p * num_filters + f
// where a window index enumerates one filter window in (row, col, channel) order and the ifmap
// element of (ofmap pixel p, window index w) is the one that pixel's window covers at w.
//
// The ofmap has ceil((ifmap - filter) / stride) + 1 rows (and likewise columns), as SCALE-Sim
// counts them: when the stride does not divide ifmap - filter, the last window hangs over the
// ifmap's edge, and its elements beyond the edge are not read (ifmap_address -1).
class OperandLayout {
 public:
  // Throws std::invalid_argument unless every size is >= 1 and the filter fits in the ifmap.
  explicit OperandLayout(const SystolicLayerShape& shape);

  const SystolicLayerShape& shape() const { return shape_; }
  int64_t ofmap_h() const { return ofmap_h_; }
  int64_t ofmap_w() const { return ofmap_w_; }
  int64_t ofmap_pixels() const { return ofmap_h_ * ofmap_w_; }  // per filter
  int64_t window_size() const { return shape_.filter_h * shape_.filter_w * shape_.channels; }
  int64_t num_filters() const { return shape_.num_filters; }

  // pixel in [0, ofmap_pixels()), window_index in [0, window_size()); -1 beyond the ifmap's edge.
  int64_t ifmap_address(int64_t pixel, int64_t window_index) const;
  // window_index in [0, window_size()), filter in [0, num_filters()).
  int64_t filter_address(int64_t window_index, int64_t filter) const {
    return filter * window_size() + window_index;
  }
  // pixel in [0, ofmap_pixels()), filter in [0, num_filters()).
  int64_t ofmap_address(int64_t pixel, int64_t filter) const {
    return pixel * shape_.num_filters + filter;
  }

 private:
  SystolicLayerShape shape_;
  int64_t ofmap_h_ = 1;
  int64_t ofmap_w_ = 1;
};

}  // namespace h4h::cyc
