#pragma once
// Pixel kernels of the augmentations: 8-bit HWC in, float out (any layout, given by strides), each
// output value mapped per channel as v * scale[c] + bias[c] (this is where normalisation happens).
#include <array>
#include <cstddef>

#include "nas/data/dataset.h"

namespace h4h::data {

// Where output element (c, y, x) lives: out[c * channel + y * row + x * col] (in floats).
struct OutStrides {
  std::ptrdiff_t channel = 0, row = 0, col = 0;
  static OutStrides chw(int h, int w) { return {std::ptrdiff_t{h} * w, w, 1}; }
  static OutStrides hwc(int w, int c) { return {1, std::ptrdiff_t{w} * c, c}; }
};

// Per-channel affine map from a pixel value in 0..255 to the output float.
struct PixelMap {
  std::array<float, 4> scale{1, 1, 1, 1}, bias{0, 0, 0, 0};
};

// Integer placement (padding and cropping without resampling): output (y, x), for y < out_h and
// x < out_w, takes the source pixel (top + y, left + x') with x' = flip ? out_w - 1 - x : x, or the
// value 0 where that lies outside the image (zero padding, as torchvision pads before normalising).
void place(const Image& img, int top, int left, int out_h, int out_w, bool flip, const PixelMap& map, float* out,
           OutStrides strides);

// Resamples the box [x0, x0 + box_w) x [y0, y0 + box_h) of the image (source pixel units; must lie
// inside it) to out_h x out_w, flipping horizontally after the crop when `flip`. The filter is PIL's
// BILINEAR resize with a box: a triangle of radius 1 output pixel, widened by the downscale factor
// when shrinking (antialiased), weights normalised; output pixel i samples the source at
// x0 + (i + 0.5) * box_w / out_w. Values stay in float (no rounding to 8 bits in between).
void resample_box(const Image& img, double x0, double y0, double box_w, double box_h, int out_h, int out_w, bool flip,
                  const PixelMap& map, float* out, OutStrides strides);

}  // namespace h4h::data
