#pragma once
// Per-sample augmentation and normalisation: an 8-bit HWC image in, a size x size float image out
// (CHW or HWC), values (pixel / 255 - mean[c]) / std[c].
//
// Modes (torchvision equivalents in brackets):
//  PadCrop           small images (Fashion-MNIST, CIFAR): the image centred on a size x size canvas —
//                    zero-padded when smaller (28 -> 32: 2 pixels each side), cropped when larger (an
//                    odd extra pixel goes to the bottom/right) — then, when crop_padding = p > 0,
//                    shifted by a uniform dy, dx in [-p, p] with zero fill [Pad/CenterCrop, then
//                    RandomCrop(size, padding=p)]. Eval: crop_padding 0, hflip false.
//  RandomResizedCrop ImageFolder training: a box of area fraction U(scale_min, scale_max) and aspect
//                    ratio exp(U(log ratio_min, log ratio_max)), 10 tries, else the centre crop at the
//                    nearest allowed ratio, resized to size x size bilinearly (antialiased)
//                    [RandomResizedCrop(size, scale, ratio), PIL bilinear].
//  ResizeCenterCrop  ImageFolder eval: the shorter side resized to floor(size / crop_fraction), then
//                    the centre size x size crop, in one resampling [Resize(int(size / 0.875)),
//                    CenterCrop(size)].
// hflip: mirrored left-right with probability 1/2, after the crop [RandomHorizontalFlip].
// All randomness comes from the generator passed to apply(), in a fixed order (crop, then flip).
#include <vector>

#include "nas/data/dataset.h"
#include "nas/data/random.h"

namespace h4h::data {

enum class Layout { NCHW, NHWC };  // of a batch; per image CHW or HWC

enum class CropMode { PadCrop, RandomResizedCrop, ResizeCenterCrop };

// Per-channel statistics of pixel / 255. Empty: no normalisation (values in [0, 1]). One value applies
// to every channel.
struct Normalization {
  std::vector<float> mean, std;
};

struct TransformOptions {
  CropMode mode = CropMode::PadCrop;
  int size = 32;         // output height = width, pixels
  int crop_padding = 0;  // PadCrop: maximum random shift, pixels (0: centred only)
  bool hflip = false;
  double scale_min = 0.08, scale_max = 1.0;             // RandomResizedCrop: area fraction of the box
  double ratio_min = 3.0 / 4.0, ratio_max = 4.0 / 3.0;  // RandomResizedCrop: aspect ratio w / h
  double crop_fraction = 0.875;                         // ResizeCenterCrop: crop size / resized shorter side
  Normalization norm;
};

class Transform {
 public:
  // Throws std::invalid_argument on impossible options (size < 1, negative padding, scale or ratio
  // ranges empty or non-positive, crop_fraction outside (0, 1], mean and std of different lengths or a
  // std <= 0).
  explicit Transform(TransformOptions options);

  // Writes size() * size() * img.channels floats to `out` (CHW for Layout::NCHW, HWC for NHWC).
  // Throws std::invalid_argument when the image has more than 4 channels, or normalisation statistics
  // for a different number of channels (neither 1 nor img.channels).
  void apply(const Image& img, SplitMix64& rng, float* out, Layout layout) const;

  int size() const { return options_.size; }
  const TransformOptions& options() const { return options_; }

 private:
  TransformOptions options_;
};

// The RandomResizedCrop box (left, top, width, height in pixels) torchvision's get_params draws for a
// width x height image; exposed for tests.
struct CropBox {
  int left = 0, top = 0, width = 0, height = 0;
};
CropBox random_resized_crop_box(int width, int height, double scale_min, double scale_max, double ratio_min,
                                double ratio_max, SplitMix64& rng);

}  // namespace h4h::data
