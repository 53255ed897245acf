#include "sim/systemc/npu/systolic/systolic_layer.h"

#include <stdexcept>
#include <string>

namespace h4h::cyc {

SystolicLayerShape gemm_layer_shape(int64_t m, int64_t n, int64_t k) {
  SystolicLayerShape shape;
  shape.ifmap_h = m;
  shape.ifmap_w = k;
  shape.filter_h = 1;
  shape.filter_w = k;
  shape.channels = 1;
  shape.num_filters = n;
  shape.stride = 1;
  return shape;
}

OperandLayout::OperandLayout(const SystolicLayerShape& shape) : shape_(shape) {
  const int64_t sizes[] = {shape.ifmap_h,   shape.ifmap_w,     shape.filter_h, shape.filter_w,
                           shape.channels, shape.num_filters, shape.stride};
  for (int64_t size : sizes) {
    if (size < 1) throw std::invalid_argument("systolic layer: every size and the stride must be >= 1");
  }
  if (shape.filter_h > shape.ifmap_h || shape.filter_w > shape.ifmap_w) {
    throw std::invalid_argument("systolic layer: filter " + std::to_string(shape.filter_h) + "x" +
                                std::to_string(shape.filter_w) + " larger than ifmap " +
                                std::to_string(shape.ifmap_h) + "x" + std::to_string(shape.ifmap_w) +
                                " (no padding)");
  }
  // SCALE-Sim: ceil((ifmap - filter + stride) / stride); the last window may overhang the edge.
  ofmap_h_ = (shape.ifmap_h - shape.filter_h + shape.stride - 1) / shape.stride + 1;
  ofmap_w_ = (shape.ifmap_w - shape.filter_w + shape.stride - 1) / shape.stride + 1;
}

int64_t OperandLayout::ifmap_address(int64_t pixel, int64_t window_index) const {
  const int64_t ofmap_row = pixel / ofmap_w_;
  const int64_t ofmap_col = pixel % ofmap_w_;
  const int64_t position = window_index / shape_.channels;  // (row, col) inside the window
  const int64_t channel = window_index % shape_.channels;
  const int64_t row = ofmap_row * shape_.stride + position / shape_.filter_w;
  const int64_t col = ofmap_col * shape_.stride + position % shape_.filter_w;
  if (row >= shape_.ifmap_h || col >= shape_.ifmap_w) return -1;
  return (row * shape_.ifmap_w + col) * shape_.channels + channel;
}

}  // namespace h4h::cyc
