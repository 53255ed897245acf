#include "nas/data/transform.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "nas/data/resample.h"

namespace h4h::data {
namespace {

PixelMap pixel_map(const Normalization& norm, int channels) {
  PixelMap m;
  const size_t k = norm.mean.size();
  if (k != 0 && k != 1 && k != static_cast<size_t>(channels))
    throw std::invalid_argument("Transform: normalisation has " + std::to_string(k) + " channels, image has " +
                                std::to_string(channels));
  for (int c = 0; c < channels; ++c) {
    const float mean = k ? norm.mean[k == 1 ? 0 : c] : 0.0f;
    const float sd = k ? norm.std[k == 1 ? 0 : c] : 1.0f;
    m.scale[c] = 1.0f / (255.0f * sd);
    m.bias[c] = -mean / sd;
  }
  return m;
}

// Python's round() (half to even), as torchvision uses for crop offsets.
int round_half_even(double v) { return static_cast<int>(std::nearbyint(v)); }

}  // namespace

Transform::Transform(TransformOptions o) : options_(std::move(o)) {
  const TransformOptions& t = options_;
  auto bad = [](const std::string& what) { throw std::invalid_argument("Transform: " + what); };
  if (t.size < 1) bad("size must be >= 1");
  if (t.crop_padding < 0) bad("crop_padding must be >= 0");
  if (!(t.scale_min > 0 && t.scale_min <= t.scale_max && t.scale_max <= 1)) bad("need 0 < scale_min <= scale_max <= 1");
  if (!(t.ratio_min > 0 && t.ratio_min <= t.ratio_max)) bad("need 0 < ratio_min <= ratio_max");
  if (!(t.crop_fraction > 0 && t.crop_fraction <= 1)) bad("crop_fraction must be in (0, 1]");
  if (t.norm.mean.size() != t.norm.std.size()) bad("mean and std differ in length");
  if (t.norm.mean.size() > 4) bad("at most 4 channels");
  for (float sd : t.norm.std)
    if (!(sd > 0)) bad("std must be > 0");
}

CropBox random_resized_crop_box(int width, int height, double scale_min, double scale_max, double ratio_min,
                                double ratio_max, SplitMix64& rng) {
  const double area = static_cast<double>(width) * height;
  const double log_lo = std::log(ratio_min), log_hi = std::log(ratio_max);
  for (int attempt = 0; attempt < 10; ++attempt) {
    const double target = area * uniform_real(rng, scale_min, scale_max);
    const double aspect = std::exp(uniform_real(rng, log_lo, log_hi));
    const int w = round_half_even(std::sqrt(target * aspect));
    const int h = round_half_even(std::sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      const int top = static_cast<int>(uniform_int(rng, 0, height - h));
      const int left = static_cast<int>(uniform_int(rng, 0, width - w));
      return {left, top, w, h};
    }
  }
  // Fallback: the whole image, cut to the nearest allowed aspect ratio, centred.
  const double in_ratio = static_cast<double>(width) / height;
  int w = width, h = height;
  if (in_ratio < ratio_min)
    h = std::max(1, round_half_even(w / ratio_min));
  else if (in_ratio > ratio_max)
    w = std::max(1, round_half_even(h * ratio_max));
  return {(width - w) / 2, (height - h) / 2, w, h};
}

void Transform::apply(const Image& img, SplitMix64& rng, float* out, Layout layout) const {
  const TransformOptions& t = options_;
  const int C = img.channels;
  if (C < 1 || C > 4) throw std::invalid_argument("Transform: images must have 1 to 4 channels");
  if (img.width < 1 || img.height < 1) throw std::invalid_argument("Transform: empty image");
  const PixelMap map = pixel_map(t.norm, C);
  const OutStrides strides = layout == Layout::NCHW ? OutStrides::chw(t.size, t.size) : OutStrides::hwc(t.size, C);

  switch (t.mode) {
    case CropMode::PadCrop: {
      auto centred = [&](int in) { return in <= t.size ? -((t.size - in) / 2) : (in - t.size) / 2; };
      int top = centred(img.height), left = centred(img.width);
      if (t.crop_padding > 0) {
        top += static_cast<int>(uniform_int(rng, -t.crop_padding, t.crop_padding));
        left += static_cast<int>(uniform_int(rng, -t.crop_padding, t.crop_padding));
      }
      const bool flip = t.hflip && uniform_below(rng, 2) == 1;
      place(img, top, left, t.size, t.size, flip, map, out, strides);
      return;
    }
    case CropMode::RandomResizedCrop: {
      const CropBox b =
          random_resized_crop_box(img.width, img.height, t.scale_min, t.scale_max, t.ratio_min, t.ratio_max, rng);
      const bool flip = t.hflip && uniform_below(rng, 2) == 1;
      resample_box(img, b.left, b.top, b.width, b.height, t.size, t.size, flip, map, out, strides);
      return;
    }
    case CropMode::ResizeCenterCrop: {
      // torchvision Resize(int): the shorter side to S, the longer to int(S * long / short).
      const int S = static_cast<int>(std::floor(t.size / t.crop_fraction + 1e-9));
      int rw, rh;
      if (img.width <= img.height) {
        rw = S;
        rh = static_cast<int>(static_cast<int64_t>(S) * img.height / img.width);
      } else {
        rh = S;
        rw = static_cast<int>(static_cast<int64_t>(S) * img.width / img.height);
      }
      const int crop_top = round_half_even((rh - t.size) / 2.0), crop_left = round_half_even((rw - t.size) / 2.0);
      const double sx = static_cast<double>(img.width) / rw, sy = static_cast<double>(img.height) / rh;
      const bool flip = t.hflip && uniform_below(rng, 2) == 1;
      resample_box(img, crop_left * sx, crop_top * sy, t.size * sx, t.size * sy, t.size, t.size, flip, map, out,
                   strides);
      return;
    }
  }
}

}  // namespace h4h::data
