#pragma once
// Writers for small synthetic dataset files (IDX .gz, CIFAR-10 batches, PNG, JPEG), written with the
// same libraries the readers use, and helpers shared by the data tests.
#include <zlib.h>
// clang-format off
#include <cstdio>
#include <jpeglib.h>
// clang-format on
#include <png.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "nas/data/dataset.h"
#include "sim/core/error.h"
#include "tests/support/run.h"

namespace h4h::test {

using Bytes = std::vector<uint8_t>;

inline void put_be32(Bytes& b, uint32_t v) {
  for (int s = 24; s >= 0; s -= 8) b.push_back(static_cast<uint8_t>(v >> s));
}

// idx3 images whose pixel (i, y, x) is (i * 7 + y * 3 + x) % 256.
inline Bytes idx_images(uint32_t n, uint32_t rows, uint32_t cols) {
  Bytes b = {0, 0, 8, 3};
  put_be32(b, n);
  put_be32(b, rows);
  put_be32(b, cols);
  for (uint32_t i = 0; i < n; ++i)
    for (uint32_t y = 0; y < rows; ++y)
      for (uint32_t x = 0; x < cols; ++x) b.push_back(static_cast<uint8_t>((i * 7 + y * 3 + x) % 256));
  return b;
}

// idx1 labels i % classes.
inline Bytes idx_labels(uint32_t n, uint32_t classes) {
  Bytes b = {0, 0, 8, 1};
  put_be32(b, n);
  for (uint32_t i = 0; i < n; ++i) b.push_back(static_cast<uint8_t>(i % classes));
  return b;
}

inline void write_bytes(const std::string& path, const Bytes& b) { write_file(path, std::string(b.begin(), b.end())); }

inline void write_gz(const std::string& path, const Bytes& b) {
  gzFile f = gzopen(path.c_str(), "wb");
  if (!f || gzwrite(f, b.data(), static_cast<unsigned>(b.size())) != static_cast<int>(b.size()) || gzclose(f) != Z_OK)
    throw std::runtime_error("cannot write " + path);
}

// Keeps the first `keep` bytes of a file.
inline void truncate_file(const std::string& path, size_t keep) {
  std::string s = read_file(path);
  write_file(path, s.substr(0, keep));
}

// CIFAR-10 records: label (i + first) % 10, pixel (c, p) = (i * 5 + c * 50 + p) % 256, planar.
inline Bytes cifar_records(int n, int first = 0) {
  Bytes b;
  for (int i = 0; i < n; ++i) {
    b.push_back(static_cast<uint8_t>((i + first) % 10));
    for (int c = 0; c < 3; ++c)
      for (int p = 0; p < 1024; ++p) b.push_back(static_cast<uint8_t>((i * 5 + c * 50 + p) % 256));
  }
  return b;
}

// A w x h RGB test card: r = x * 255 / (w - 1), g = y * 255 / (h - 1), b = seed.
inline data::Image test_card(int w, int h, uint8_t seed) {
  data::Image im;
  im.width = w;
  im.height = h;
  im.channels = 3;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      im.pixels.push_back(static_cast<uint8_t>(w > 1 ? x * 255 / (w - 1) : 0));
      im.pixels.push_back(static_cast<uint8_t>(h > 1 ? y * 255 / (h - 1) : 0));
      im.pixels.push_back(seed);
    }
  return im;
}

inline void write_png(const std::string& path, const data::Image& im) {
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(im.width);
  png.height = static_cast<png_uint_32>(im.height);
  png.format = im.channels == 3 ? PNG_FORMAT_RGB : im.channels == 4 ? PNG_FORMAT_RGBA : PNG_FORMAT_GRAY;
  if (!png_image_write_to_file(&png, path.c_str(), 0, im.pixels.data(), 0, nullptr))
    throw std::runtime_error("cannot write " + path + ": " + png.message);
}

inline void write_jpeg(const std::string& path, const data::Image& im, int quality = 95) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot write " + path);
  jpeg_compress_struct cinfo;
  jpeg_error_mgr err;
  cinfo.err = jpeg_std_error(&err);
  jpeg_create_compress(&cinfo);
  jpeg_stdio_dest(&cinfo, f);
  cinfo.image_width = static_cast<JDIMENSION>(im.width);
  cinfo.image_height = static_cast<JDIMENSION>(im.height);
  cinfo.input_components = im.channels;
  cinfo.in_color_space = im.channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = const_cast<uint8_t*>(&im.pixels[static_cast<size_t>(cinfo.next_scanline) * im.width * im.channels]);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::fclose(f);
}

// Runs `f`; the message of the InputError it throws, or "<no InputError>" (any other exception escapes).
template <class F>
std::string input_error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "<no InputError>";
}

}  // namespace h4h::test
