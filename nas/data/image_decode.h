#pragma once
// JPEG (libjpeg-turbo) and PNG (libpng) decoding into 8-bit HWC images.
#include <cstdint>
#include <string>
#include <vector>

#include "nas/data/dataset.h"

namespace h4h::data {

// Images larger than this many pixels are refused (a decompression bomb, not a photograph).
constexpr int64_t kMaxImagePixels = int64_t{1} << 28;

// Decodes a JPEG or PNG held in `bytes` (the format is recognised by its magic bytes, not by the
// name) into `channels` = 3 (RGB; grey images replicated) or 1 (grey: luma). An alpha channel is
// dropped, as PIL's convert("RGB") does; CMYK/YCCK JPEGs are converted to RGB.
// `min_short_side` > 0 lets a JPEG decode at 1/2, 1/4 or 1/8 scale (libjpeg's DCT scaling, much
// faster) while its shorter side stays >= min_short_side; 0 decodes at full size. PNGs always decode
// at full size.
// Throws h4h::InputError naming `path` when the data is neither JPEG nor PNG, is corrupt or truncated
// (a JPEG ending before its end-of-image marker counts as truncated), or is larger than kMaxImagePixels.
Image decode_image(const std::vector<uint8_t>& bytes, const std::string& path, int channels, int min_short_side = 0);

// Reads and decodes the file at `path` (as decode_image); a file that cannot be read throws InputError.
Image read_image_file(const std::string& path, int channels, int min_short_side = 0);

}  // namespace h4h::data
