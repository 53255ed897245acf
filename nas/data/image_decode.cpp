#include "nas/data/image_decode.h"

// clang-format off
#include <cstdio>   // jpeglib.h needs FILE and size_t first
#include <jpeglib.h>
#include <jerror.h>
// clang-format on
#include <png.h>

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <cstring>
#include <fstream>

#include "sim/core/error.h"

namespace h4h::data {
namespace {

bool is_jpeg(const std::vector<uint8_t>& b) { return b.size() >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF; }

bool is_png(const std::vector<uint8_t>& b) {
  static const uint8_t magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  return b.size() >= 8 && std::memcmp(b.data(), magic, 8) == 0;
}

void check_pixels(int64_t w, int64_t h, const std::string& path) {
  if (w <= 0 || h <= 0 || w * h > kMaxImagePixels)
    throw_input_error(path, "",
                      "image size " + std::to_string(w) + "x" + std::to_string(h) + " out of range (at most " +
                          std::to_string(kMaxImagePixels) + " pixels)");
}

// libjpeg reports fatal errors through error_exit, which must not return: jump back to decode_jpeg.
struct JpegErrors {
  jpeg_error_mgr mgr;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
  bool truncated = false;
};

void jpeg_fatal(j_common_ptr cinfo) {
  auto* err = reinterpret_cast<JpegErrors*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, err->message);
  std::longjmp(err->jump, 1);
}

// Warnings (level -1) are tolerated, as PIL tolerates them, except the data ending early.
void jpeg_message(j_common_ptr cinfo, int level) {
  auto* err = reinterpret_cast<JpegErrors*>(cinfo->err);
  if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) err->truncated = true;
}

// The RGB of one CMYK pixel; Adobe files (saw_Adobe_marker) store the inks inverted.
void cmyk_to_rgb(const uint8_t* cmyk, uint8_t* rgb, bool inverted) {
  int k = inverted ? cmyk[3] : 255 - cmyk[3];
  for (int c = 0; c < 3; ++c) {
    int v = inverted ? cmyk[c] : 255 - cmyk[c];
    rgb[c] = static_cast<uint8_t>((v * k + 127) / 255);
  }
}

Image decode_jpeg(const std::vector<uint8_t>& bytes, const std::string& path, int channels, int min_short_side) {
  Image out;
  std::vector<uint8_t> cmyk_row;
  jpeg_decompress_struct cinfo;
  JpegErrors err;
  cinfo.err = jpeg_std_error(&err.mgr);
  err.mgr.error_exit = jpeg_fatal;
  err.mgr.emit_message = jpeg_message;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    throw_input_error(path, "", std::string("undecodable JPEG: ") + err.message);
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  if (int64_t{cinfo.image_width} * cinfo.image_height > kMaxImagePixels) {
    jpeg_destroy_decompress(&cinfo);
    check_pixels(cinfo.image_width, cinfo.image_height, path);
  }
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : channels == 3 ? JCS_RGB : JCS_GRAYSCALE;
  if (min_short_side > 0) {
    const unsigned short_side = std::min(cinfo.image_width, cinfo.image_height);
    for (unsigned denom : {8u, 4u, 2u})
      if ((short_side + denom - 1) / denom >= static_cast<unsigned>(min_short_side)) {
        cinfo.scale_num = 1;
        cinfo.scale_denom = denom;
        break;
      }
  }
  jpeg_start_decompress(&cinfo);
  out.width = static_cast<int>(cinfo.output_width);
  out.height = static_cast<int>(cinfo.output_height);
  out.channels = channels;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * channels);
  if (cmyk) cmyk_row.resize(static_cast<size_t>(out.width) * 4);
  while (cinfo.output_scanline < cinfo.output_height) {
    uint8_t* row = out.pixels.data() + static_cast<size_t>(cinfo.output_scanline) * out.width * channels;
    JSAMPROW target = cmyk ? cmyk_row.data() : row;
    jpeg_read_scanlines(&cinfo, &target, 1);
    if (!cmyk) continue;
    for (int x = 0; x < out.width; ++x) {
      uint8_t rgb[3];
      cmyk_to_rgb(&cmyk_row[4 * x], rgb, cinfo.saw_Adobe_marker);
      if (channels == 3)
        std::memcpy(row + 3 * x, rgb, 3);
      else
        row[x] = static_cast<uint8_t>((299 * rgb[0] + 587 * rgb[1] + 114 * rgb[2] + 500) / 1000);
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  if (err.truncated) throw_input_error(path, "", "truncated JPEG (premature end of data)");
  return out;
}

Image decode_png(const std::vector<uint8_t>& bytes, const std::string& path, int channels) {
  png_image png;
  std::memset(&png, 0, sizeof png);
  png.version = PNG_IMAGE_VERSION;
  auto fail = [&](const char* what) {
    std::string msg = std::string(what) + ": " + png.message;
    png_image_free(&png);
    throw_input_error(path, "", msg);
  };
  if (!png_image_begin_read_from_memory(&png, bytes.data(), bytes.size())) fail("undecodable PNG");
  check_pixels(png.width, png.height, path);
  // Decode with alpha, then drop it (PIL's convert() keeps the colour of transparent pixels).
  const int decoded = channels + 1;
  png.format = channels == 3 ? PNG_FORMAT_RGBA : PNG_FORMAT_GA;
  std::vector<uint8_t> buffer(static_cast<size_t>(png.width) * png.height * decoded);
  if (!png_image_finish_read(&png, nullptr, buffer.data(), 0, nullptr)) fail("undecodable PNG");
  Image out;
  out.width = static_cast<int>(png.width);
  out.height = static_cast<int>(png.height);
  out.channels = channels;
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * channels);
  const size_t n = static_cast<size_t>(out.width) * out.height;
  for (size_t p = 0; p < n; ++p)
    for (int c = 0; c < channels; ++c) out.pixels[p * channels + c] = buffer[p * decoded + c];
  png_image_free(&png);
  return out;
}

}  // namespace

Image decode_image(const std::vector<uint8_t>& bytes, const std::string& path, int channels, int min_short_side) {
  if (channels != 1 && channels != 3) throw std::invalid_argument("decode_image: channels must be 1 or 3");
  if (is_jpeg(bytes)) return decode_jpeg(bytes, path, channels, min_short_side);
  if (is_png(bytes)) return decode_png(bytes, path, channels);
  throw_input_error(path, "",
                    bytes.empty() ? "empty file; expected a JPEG or PNG image"
                                  : "not a JPEG or PNG image (unrecognised magic bytes)");
}

Image read_image_file(const std::string& path, int channels, int min_short_side) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw_input_error(path, "", std::string("cannot open: ") + std::strerror(errno));
  std::streamoff n = in.tellg();
  std::vector<uint8_t> bytes(n > 0 ? static_cast<size_t>(n) : 0);
  in.seekg(0);
  if (n < 0 || !in.read(reinterpret_cast<char*>(bytes.data()), n)) throw_input_error(path, "", "read error");
  return decode_image(bytes, path, channels, min_short_side);
}

}  // namespace h4h::data
