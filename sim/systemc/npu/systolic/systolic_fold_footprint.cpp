#include "sim/systemc/npu/systolic/systolic_fold_footprint.h"

#include <algorithm>

namespace h4h::cyc {
namespace {

// ceil(a / b) for b > 0 and any a.
int64_t ceil_div(int64_t a, int64_t b) { return a >= 0 ? (a + b - 1) / b : -((-a) / b); }

// The channels one ifmap pixel contributes: window positions (filter row, filter col) strictly
// inside the window range carry every channel; the range's first and last positions carry the
// channels from/up to where the range starts/ends.
class PixelChannels {
 public:
  PixelChannels(int64_t channels, int64_t first_position, int64_t last_position,
                int64_t first_channel, int64_t last_channel)
      : channels_(channels), first_position_(first_position), last_position_(last_position),
        first_channel_(first_channel), last_channel_(last_channel) {}

  void reset() { full_ = has_first_ = has_last_ = false; }
  void add_position(int64_t position) {
    if (position == first_position_) has_first_ = true;
    if (position == last_position_) has_last_ = true;
    if (position > first_position_ && position < last_position_) full_ = true;
  }
  bool full() const { return full_; }

  // Distinct channels and their lowest / highest; count 0 when none.
  void summarise(int64_t& count, int64_t& lowest, int64_t& highest) const {
    count = 0;
    if (first_position_ == last_position_) {
      if (has_first_) set(count, lowest, highest, first_channel_, last_channel_);
      return;
    }
    if (full_) return set(count, lowest, highest, 0, channels_ - 1);
    if (has_first_ && has_last_) {
      if (first_channel_ <= last_channel_ + 1) return set(count, lowest, highest, 0, channels_ - 1);
      count = (channels_ - first_channel_) + (last_channel_ + 1);
      lowest = 0;
      highest = channels_ - 1;
      return;
    }
    if (has_first_) return set(count, lowest, highest, first_channel_, channels_ - 1);
    if (has_last_) return set(count, lowest, highest, 0, last_channel_);
  }

 private:
  static void set(int64_t& count, int64_t& lowest, int64_t& highest, int64_t lo, int64_t hi) {
    count = hi - lo + 1;
    lowest = lo;
    highest = hi;
  }

  int64_t channels_, first_position_, last_position_, first_channel_, last_channel_;
  bool full_ = false, has_first_ = false, has_last_ = false;
};

}  // namespace

AddressFootprint ifmap_footprint(const OperandLayout& layout, IndexRange pixels, IndexRange window) {
  AddressFootprint footprint;
  if (pixels.size() == 0 || window.size() == 0) return footprint;
  const SystolicLayerShape& s = layout.shape();
  const int64_t ofmap_w = layout.ofmap_w();

  // Window positions (filter_row * filter_w + filter_col) the window range touches.
  const int64_t first_position = window.begin / s.channels;
  const int64_t last_position = (window.end - 1) / s.channels;
  PixelChannels pixel_channels(s.channels, first_position, last_position, window.begin % s.channels,
                               (window.end - 1) % s.channels);

  // Bounding box of the touched ifmap pixels.
  const int64_t oy_first = pixels.begin / ofmap_w, oy_last = (pixels.end - 1) / ofmap_w;
  const int64_t ox_first = oy_first == oy_last ? pixels.begin % ofmap_w : 0;
  const int64_t ox_last = oy_first == oy_last ? (pixels.end - 1) % ofmap_w : ofmap_w - 1;
  const int64_t fy_first = first_position / s.filter_w, fy_last = last_position / s.filter_w;
  const int64_t fx_first = fy_first == fy_last ? first_position % s.filter_w : 0;
  const int64_t fx_last = fy_first == fy_last ? last_position % s.filter_w : s.filter_w - 1;

  // Window elements beyond the ifmap's edge read nothing: clip the box to the ifmap.
  const int64_t iy_last = std::min(s.ifmap_h - 1, oy_last * s.stride + fy_last);
  const int64_t ix_last = std::min(s.ifmap_w - 1, ox_last * s.stride + fx_last);
  for (int64_t iy = oy_first * s.stride + fy_first; iy <= iy_last; ++iy) {
    // Ofmap rows whose windows cover ifmap row iy.
    const int64_t oy_lo = std::max(oy_first, ceil_div(iy - s.filter_h + 1, s.stride));
    const int64_t oy_hi = std::min(oy_last, iy / s.stride);
    for (int64_t ix = ox_first * s.stride + fx_first; ix <= ix_last; ++ix) {
      const int64_t ox_lo = std::max(ox_first, ceil_div(ix - s.filter_w + 1, s.stride));
      const int64_t ox_hi = std::min(ox_last, ix / s.stride);
      pixel_channels.reset();
      for (int64_t oy = oy_lo; oy <= oy_hi && !pixel_channels.full(); ++oy) {
        for (int64_t ox = ox_lo; ox <= ox_hi && !pixel_channels.full(); ++ox) {
          const int64_t pixel = oy * ofmap_w + ox;
          if (pixel < pixels.begin || pixel >= pixels.end) continue;
          const int64_t position = (iy - oy * s.stride) * s.filter_w + (ix - ox * s.stride);
          if (position < first_position || position > last_position) continue;
          pixel_channels.add_position(position);
        }
      }
      int64_t count = 0, lowest = 0, highest = 0;
      pixel_channels.summarise(count, lowest, highest);
      if (count == 0) continue;
      const int64_t base = (iy * s.ifmap_w + ix) * s.channels;  // pixels visited in address order
      if (footprint.distinct == 0) footprint.lo = base + lowest;
      footprint.hi = base + highest;
      footprint.distinct += count;
    }
  }
  return footprint;
}

AddressFootprint grid_footprint(IndexRange rows, IndexRange cols, int64_t width) {
  AddressFootprint footprint;
  if (rows.size() == 0 || cols.size() == 0) return footprint;
  footprint.lo = rows.begin * width + cols.begin;
  footprint.hi = (rows.end - 1) * width + cols.end - 1;
  footprint.distinct = rows.size() * cols.size();
  return footprint;
}

}  // namespace h4h::cyc
