// Augmentations: output shapes, padding and crop geometry, flips, resampling against hand values,
// normalisation, layouts, determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "nas/data/transform.h"
#include "tests/nas/data/fixtures.h"

namespace h4h::data {
namespace {

// A grey h x w image whose pixel (y, x) is (y * w + x + 1) % 256: every pixel findable.
Image numbered(int h, int w) {
  Image im;
  im.height = h;
  im.width = w;
  im.channels = 1;
  for (int i = 0; i < h * w; ++i) im.pixels.push_back(static_cast<uint8_t>((i + 1) % 256));
  return im;
}

std::vector<float> run(const Transform& t, const Image& im, uint64_t seed, Layout layout = Layout::NCHW) {
  std::vector<float> out(static_cast<size_t>(t.size()) * t.size() * im.channels, -99.0f);
  SplitMix64 rng(seed);
  t.apply(im, rng, out.data(), layout);
  return out;
}

TEST(Transform, PadTo32CentresWithZeros) {
  TransformOptions o;
  o.size = 32;
  Transform t(o);
  Image im = numbered(28, 28);
  std::vector<float> out = run(t, im, 1);
  ASSERT_EQ(out.size(), 32u * 32u);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) {
      const bool inside = y >= 2 && y < 30 && x >= 2 && x < 30;
      const float want = inside ? im.at(y - 2, x - 2, 0) / 255.0f : 0.0f;
      ASSERT_FLOAT_EQ(out[y * 32 + x], want) << y << "," << x;
    }
}

TEST(Transform, CentreCropOfLargerImageAndOddDifference) {
  TransformOptions o;
  o.size = 4;
  Image im = numbered(7, 7);  // difference 3: crop starts at 1
  std::vector<float> out = run(Transform(o), im, 1);
  EXPECT_FLOAT_EQ(out[0], im.at(1, 1, 0) / 255.0f);
  o.size = 8;
  Image small = numbered(5, 5);  // pad 1 before, 2 after
  out = run(Transform(o), small, 1);
  EXPECT_FLOAT_EQ(out[1 * 8 + 1], small.at(0, 0, 0) / 255.0f);
  EXPECT_FLOAT_EQ(out[0], 0.0f);
  EXPECT_FLOAT_EQ(out[6 * 8 + 6], 0.0f);
}

TEST(Transform, RandomCropShiftsWithinPaddingAndCoversAllShifts) {
  TransformOptions o;
  o.size = 32;
  o.crop_padding = 2;
  Transform t(o);
  Image im = numbered(28, 28);
  std::set<std::pair<int, int>> shifts;
  for (uint64_t seed = 0; seed < 400; ++seed) {
    std::vector<float> out = run(t, im, seed);
    // Locate source pixel (0, 0) (value 1) in the output: shift = its position - (2, 2).
    // (Value 1 recurs at source (9, 4), later in raster order: take the first.)
    int found_y = -100, found_x = -100;
    for (int p = 32 * 32 - 1; p >= 0; --p)
      if (std::abs(out[p] - 1.0f / 255.0f) < 1e-7f) found_y = p / 32, found_x = p % 32;
    int dy = 2 - found_y, dx = 2 - found_x;  // source offset = centre offset + shift
    ASSERT_GE(dy, -2);
    ASSERT_LE(dy, 2);
    ASSERT_GE(dx, -2);
    ASSERT_LE(dx, 2);
    shifts.insert({dy, dx});
  }
  EXPECT_EQ(shifts.size(), 25u);
  EXPECT_EQ(run(t, im, 5), run(t, im, 5));
}

TEST(Transform, FlipMirrorsAboutHalfTheTime) {
  TransformOptions o;
  o.size = 6;
  o.hflip = true;
  Transform t(o);
  Image im = numbered(6, 6);
  int flipped = 0;
  for (uint64_t seed = 0; seed < 200; ++seed) {
    std::vector<float> out = run(t, im, seed);
    const bool f = std::abs(out[0] - im.at(0, 5, 0) / 255.0f) < 1e-7f;
    if (f) {
      for (int y = 0; y < 6; ++y)
        for (int x = 0; x < 6; ++x) ASSERT_FLOAT_EQ(out[y * 6 + x], im.at(y, 5 - x, 0) / 255.0f);
    }
    flipped += f;
  }
  EXPECT_GT(flipped, 70);
  EXPECT_LT(flipped, 130);
}

TEST(Transform, NormalisesPerChannelAndLayoutsAgree) {
  TransformOptions o;
  o.size = 5;
  o.norm = {{0.5f, 0.25f, 0.0f}, {0.5f, 0.25f, 2.0f}};
  Transform t(o);
  Image im = test::test_card(5, 5, 128);
  std::vector<float> chw = run(t, im, 3, Layout::NCHW), hwc = run(t, im, 3, Layout::NHWC);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 5; ++x) {
        const float want = (im.at(y, x, c) / 255.0f - o.norm.mean[c]) / o.norm.std[c];
        ASSERT_NEAR(chw[(c * 5 + y) * 5 + x], want, 1e-6f);
        ASSERT_EQ(hwc[(y * 5 + x) * 3 + c], chw[(c * 5 + y) * 5 + x]);
      }
  TransformOptions grey = o;
  EXPECT_THROW(run(Transform(grey), numbered(5, 5), 1), std::invalid_argument);  // 3 stats, 1 channel
}

TEST(Transform, ResizeCenterCropIdentityAtScaleOne) {
  TransformOptions o;
  o.mode = CropMode::ResizeCenterCrop;
  o.size = 9;
  o.crop_fraction = 1.0;
  Image im = test::test_card(9, 9, 77);
  std::vector<float> out = run(Transform(o), im, 1, Layout::NHWC);
  for (size_t i = 0; i < out.size(); ++i) ASSERT_NEAR(out[i], im.pixels[i] / 255.0f, 1e-6f);
}

TEST(Transform, DownscaleIsAntialiasedBilinear) {
  // A horizontal ramp v = 2x resized 40 -> 20 wide: PIL's widened triangle (weights 1/8, 3/8, 3/8, 1/8)
  // reproduces a ramp exactly away from the border: out(i) = v(2i + 0.5) = 4i + 1.
  Image ramp;
  ramp.width = 40;
  ramp.height = 40;
  ramp.channels = 1;
  for (int y = 0; y < 40; ++y)
    for (int x = 0; x < 40; ++x) ramp.pixels.push_back(static_cast<uint8_t>(2 * x));
  TransformOptions o;
  o.mode = CropMode::ResizeCenterCrop;
  o.size = 20;
  o.crop_fraction = 1.0;
  std::vector<float> out = run(Transform(o), ramp, 1);
  for (int y = 0; y < 20; ++y)
    for (int x = 1; x < 19; ++x) ASSERT_NEAR(out[y * 20 + x] * 255.0f, 4 * x + 1, 1e-3) << x;
  // At the left border the taps are cut and renormalised: (3*0 + 3*2 + 4) / 7 = 10/7.
  EXPECT_NEAR(out[0] * 255.0f, (0 * 3 + 2 * 3 + 4 * 1) / 7.0, 1e-3);
}

TEST(Transform, ResizeCenterCropGeometry) {
  // 128 x 64 (w x h) at size 16, crop fraction 0.5: shorter side -> 32, resized 64 x 32, centre crop
  // 16 x 16 at (24, 8) in resized pixels = the source box x in [48, 80), y in [16, 48), scale 2.
  Image im;
  im.width = 128;
  im.height = 64;
  im.channels = 1;
  for (int y = 0; y < 64; ++y)
    for (int x = 0; x < 128; ++x) im.pixels.push_back(static_cast<uint8_t>(x));
  TransformOptions o;
  o.mode = CropMode::ResizeCenterCrop;
  o.size = 16;
  o.crop_fraction = 0.5;
  std::vector<float> out = run(Transform(o), im, 1);
  // Output column i is centred on source x = 48 + (i + 0.5) * 2, where the ramp (value x at pixel
  // centre x + 0.5) reads 48.5 + 2i; the symmetric taps reproduce it exactly.
  for (int y = 0; y < 16; ++y)
    for (int i = 0; i < 16; ++i) ASSERT_NEAR(out[y * 16 + i] * 255.0f, 48.5 + 2 * i, 1e-3) << i;
}

TEST(Transform, RandomResizedCropBoxes) {
  SplitMix64 rng(9);
  for (int k = 0; k < 500; ++k) {
    CropBox b = random_resized_crop_box(200, 120, 0.08, 1.0, 3.0 / 4, 4.0 / 3, rng);
    ASSERT_GE(b.left, 0);
    ASSERT_GE(b.top, 0);
    ASSERT_LE(b.left + b.width, 200);
    ASSERT_LE(b.top + b.height, 120);
    const double area = static_cast<double>(b.width) * b.height / (200.0 * 120.0);
    ASSERT_GT(area, 0.07);
    ASSERT_LE(area, 1.0);
    const double ratio = static_cast<double>(b.width) / b.height;
    if (b.width > 20 && b.height > 20) {  // rounding aside
      ASSERT_GT(ratio, 0.7);
      ASSERT_LT(ratio, 1.4);
    }
  }
  // Impossible draws fall back to the centred crop at the nearest ratio: 100 x 1 at ratio 1 -> 1 x 1.
  CropBox f = random_resized_crop_box(100, 1, 0.9, 1.0, 1.0, 1.0, rng);
  EXPECT_EQ(f.width, 1);
  EXPECT_EQ(f.height, 1);
  EXPECT_EQ(f.left, 49);
}

TEST(Transform, RandomResizedCropOutput) {
  TransformOptions o;
  o.mode = CropMode::RandomResizedCrop;
  o.size = 24;
  o.hflip = true;
  o.norm = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};
  Transform t(o);
  Image im = test::test_card(97, 61, 30);
  std::vector<float> a = run(t, im, 11, Layout::NCHW);
  EXPECT_EQ(a.size(), 24u * 24u * 3u);
  for (float v : a) {
    ASSERT_GE(v, (0 - 0.485f) / 0.229f - 1e-4f);
    ASSERT_LE(v, (1 - 0.406f) / 0.225f + 1e-4f);
  }
  EXPECT_EQ(a, run(t, im, 11, Layout::NCHW));
  EXPECT_NE(a, run(t, im, 12, Layout::NCHW));
  // The blue channel is constant (30) whatever the crop.
  for (int p = 0; p < 24 * 24; ++p) ASSERT_NEAR(a[2 * 576 + p], (30 / 255.0f - 0.406f) / 0.225f, 1e-4f);
}

TEST(Transform, RejectsBadOptions) {
  auto make = [](auto edit) {
    TransformOptions o;
    edit(o);
    return Transform(o);
  };
  EXPECT_THROW(make([](TransformOptions& o) { o.size = 0; }), std::invalid_argument);
  EXPECT_THROW(make([](TransformOptions& o) { o.crop_padding = -1; }), std::invalid_argument);
  EXPECT_THROW(make([](TransformOptions& o) { o.scale_min = 0.5, o.scale_max = 0.4; }), std::invalid_argument);
  EXPECT_THROW(make([](TransformOptions& o) { o.ratio_min = 0; }), std::invalid_argument);
  EXPECT_THROW(make([](TransformOptions& o) { o.crop_fraction = 1.5; }), std::invalid_argument);
  EXPECT_THROW(make([](TransformOptions& o) { o.norm = {{0.5f}, {}}; }), std::invalid_argument);
  EXPECT_THROW(make([](TransformOptions& o) { o.norm = {{0.5f}, {0.0f}}; }), std::invalid_argument);
}

}  // namespace
}  // namespace h4h::data
