#include "nas/data/resample.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace h4h::data {
namespace {

// The source taps of each output coordinate along one axis: out[i] = sum_k weight[i*max + k] *
// in[first[i] + k] for k < count[i].
struct Taps {
  std::vector<int> first, count;
  std::vector<float> weight;
  int max_taps = 0;
};

Taps compute_taps(int in_size, double box0, double box_len, int out_size) {
  const double scale = box_len / out_size;
  const double filter_scale = std::max(scale, 1.0);
  const double support = filter_scale;  // triangle of radius 1, stretched
  Taps t;
  t.max_taps = static_cast<int>(std::ceil(support)) * 2 + 1;
  t.first.resize(out_size);
  t.count.resize(out_size);
  t.weight.assign(static_cast<size_t>(out_size) * t.max_taps, 0.0f);
  for (int i = 0; i < out_size; ++i) {
    const double center = box0 + (i + 0.5) * scale;
    int lo = std::max(static_cast<int>(std::floor(center - support + 0.5)), 0);
    int hi = std::min(static_cast<int>(std::floor(center + support + 0.5)), in_size);
    hi = std::min(hi, lo + t.max_taps);
    double total = 0;
    float* w = &t.weight[static_cast<size_t>(i) * t.max_taps];
    for (int x = lo; x < hi; ++x) {
      double d = std::abs((x - center + 0.5) / filter_scale);
      double v = d < 1.0 ? 1.0 - d : 0.0;
      w[x - lo] = static_cast<float>(v);
      total += v;
    }
    if (total > 0)
      for (int k = 0; k < hi - lo; ++k) w[k] = static_cast<float>(w[k] / total);
    t.first[i] = lo;
    t.count[i] = std::max(hi - lo, 0);
  }
  return t;
}

}  // namespace

void place(const Image& img, int top, int left, int out_h, int out_w, bool flip, const PixelMap& map, float* out,
           OutStrides s) {
  const int C = img.channels;
  for (int y = 0; y < out_h; ++y) {
    const int sy = top + y;
    const bool row_inside = sy >= 0 && sy < img.height;
    for (int x = 0; x < out_w; ++x) {
      const int sx = left + (flip ? out_w - 1 - x : x);
      float* o = out + y * s.row + x * s.col;
      if (row_inside && sx >= 0 && sx < img.width) {
        const uint8_t* p = &img.pixels[(static_cast<size_t>(sy) * img.width + sx) * C];
        for (int c = 0; c < C; ++c) o[c * s.channel] = p[c] * map.scale[c] + map.bias[c];
      } else {
        for (int c = 0; c < C; ++c) o[c * s.channel] = map.bias[c];
      }
    }
  }
}

void resample_box(const Image& img, double x0, double y0, double box_w, double box_h, int out_h, int out_w, bool flip,
                  const PixelMap& map, float* out, OutStrides s) {
  const double eps = 1e-6;
  if (!(box_w > 0 && box_h > 0 && x0 >= -eps && y0 >= -eps && x0 + box_w <= img.width + eps &&
        y0 + box_h <= img.height + eps && out_h > 0 && out_w > 0))
    throw std::invalid_argument("resample_box: box outside the image or empty output");
  const int C = img.channels;
  const Taps tx = compute_taps(img.width, x0, box_w, out_w);
  const Taps ty = compute_taps(img.height, y0, box_h, out_h);
  const int row_lo = ty.first.front();
  const int row_hi = ty.first.back() + ty.count.back();
  // Horizontal pass over the rows the vertical taps touch: tmp[(r - row_lo)][x][c].
  std::vector<float> tmp(static_cast<size_t>(row_hi - row_lo) * out_w * C);
  for (int r = row_lo; r < row_hi; ++r) {
    const uint8_t* src = &img.pixels[static_cast<size_t>(r) * img.width * C];
    float* dst = &tmp[static_cast<size_t>(r - row_lo) * out_w * C];
    for (int x = 0; x < out_w; ++x) {
      const float* w = &tx.weight[static_cast<size_t>(x) * tx.max_taps];
      const uint8_t* p = src + static_cast<size_t>(tx.first[x]) * C;
      float acc[4] = {0, 0, 0, 0};
      for (int k = 0; k < tx.count[x]; ++k)
        for (int c = 0; c < C; ++c) acc[c] += w[k] * p[k * C + c];
      for (int c = 0; c < C; ++c) dst[x * C + c] = acc[c];
    }
  }
  // Vertical pass, then the pixel map, into the output layout.
  for (int y = 0; y < out_h; ++y) {
    const float* w = &ty.weight[static_cast<size_t>(y) * ty.max_taps];
    const float* base = &tmp[static_cast<size_t>(ty.first[y] - row_lo) * out_w * C];
    for (int x = 0; x < out_w; ++x) {
      float acc[4] = {0, 0, 0, 0};
      for (int k = 0; k < ty.count[y]; ++k)
        for (int c = 0; c < C; ++c) acc[c] += w[k] * base[(static_cast<size_t>(k) * out_w + x) * C + c];
      float* o = out + y * s.row + (flip ? out_w - 1 - x : x) * s.col;
      for (int c = 0; c < C; ++c) o[c * s.channel] = acc[c] * map.scale[c] + map.bias[c];
    }
  }
}

}  // namespace h4h::data
