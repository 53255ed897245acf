#include "nas/data/idx_dataset.h"

#include <cstdio>
#include <filesystem>

#include "nas/data/gzip_file.h"
#include "sim/core/error.h"

namespace h4h::data {
namespace {

uint32_t be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

std::string dims_text(const std::vector<uint32_t>& dims) {
  std::string s;
  for (uint32_t d : dims) s += (s.empty() ? "" : "x") + std::to_string(d);
  return s;
}

// Validates the header of an IDX file holding unsigned bytes with `ndims` dimensions and returns them.
std::vector<uint32_t> read_idx_header(const std::vector<uint8_t>& bytes, const std::string& path, int ndims) {
  const std::string expected_magic =
      ndims == 3 ? "00 00 08 03 (idx3 unsigned-byte images)" : "00 00 08 01 (idx1 unsigned-byte labels)";
  if (bytes.size() < 4)
    throw_input_error(path, "",
                      "file too short for an IDX header (" + std::to_string(bytes.size()) + " bytes); expected magic " +
                          expected_magic);
  if (bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] != ndims) {
    char got[16];
    std::snprintf(got, sizeof got, "%02x %02x %02x %02x", bytes[0], bytes[1], bytes[2], bytes[3]);
    throw_input_error(path, "", std::string("wrong magic number ") + got + "; expected " + expected_magic);
  }
  const size_t header = 4 + 4 * static_cast<size_t>(ndims);
  if (bytes.size() < header)
    throw_input_error(
        path, "",
        "truncated IDX header: " + std::to_string(bytes.size()) + " bytes, expected " + std::to_string(header));
  std::vector<uint32_t> dims;
  unsigned __int128 total = 1;  // up to 2^96: no overflow
  for (int d = 0; d < ndims; ++d) {
    dims.push_back(be32(bytes.data() + 4 + 4 * d));
    total *= dims.back();
  }
  if (bytes.size() - header != total)
    throw_input_error(
        path, "",
        std::string(bytes.size() - header < total ? "truncated" : "trailing bytes") + ": " +
            std::to_string(bytes.size() - header) + " data bytes, expected " +
            (total > UINT64_MAX ? std::string("more than 2^64") : std::to_string(static_cast<uint64_t>(total))) +
            " for dimensions " + dims_text(dims));
  return dims;
}

}  // namespace

IdxDataset::IdxDataset(const std::string& images_path, const std::string& labels_path,
                       std::vector<std::string> class_names)
    : images_path_(images_path), class_names_(std::move(class_names)) {
  images_ = read_maybe_gzip(images_path);
  std::vector<uint32_t> idims = read_idx_header(images_, images_path, 3);
  labels_ = read_maybe_gzip(labels_path);
  std::vector<uint32_t> ldims = read_idx_header(labels_, labels_path, 1);
  images_offset_ = 16;
  labels_offset_ = 8;
  if (idims[0] == 0 || idims[1] == 0 || idims[2] == 0)
    throw_input_error(images_path, "", "empty image set (dimensions must be non-zero)");
  if (idims[1] > 65535 || idims[2] > 65535)
    throw_input_error(
        images_path, "",
        "image size " + std::to_string(idims[1]) + "x" + std::to_string(idims[2]) + " out of range (at most 65535)");
  if (ldims[0] != idims[0])
    throw_input_error(labels_path, "",
                      std::to_string(ldims[0]) + " labels, expected " + std::to_string(idims[0]) +
                          " (one per image in " + images_path + ")");
  count_ = idims[0];
  rows_ = static_cast<int>(idims[1]);
  cols_ = static_cast<int>(idims[2]);
  for (size_t i = 0; i < count_; ++i)
    if (labels_[labels_offset_ + i] >= class_names_.size())
      throw_input_error(labels_path, "label " + std::to_string(i),
                        "value " + std::to_string(labels_[labels_offset_ + i]) + " out of range, expected 0.." +
                            std::to_string(class_names_.size() - 1));
}

int64_t IdxDataset::label(size_t index) const {
  check_index(*this, index);
  return labels_[labels_offset_ + index];
}

Sample IdxDataset::get(size_t index) const {
  check_index(*this, index);
  Sample s;
  s.label = labels_[labels_offset_ + index];
  s.image.height = rows_;
  s.image.width = cols_;
  s.image.channels = 1;
  const size_t n = static_cast<size_t>(rows_) * cols_;
  const uint8_t* p = images_.data() + images_offset_ + index * n;
  s.image.pixels.assign(p, p + n);
  return s;
}

std::vector<std::string> fashion_mnist_class_names() {
  return {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
}

std::vector<std::string> mnist_class_names() { return {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}; }

std::string find_idx_file(const std::string& dir, const std::string& file, const std::string& hint) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path gz = fs::path(dir) / (file + ".gz"), plain = fs::path(dir) / file;
  if (fs::exists(gz, ec)) return gz.string();
  if (fs::exists(plain, ec)) return plain.string();
  throw_input_error(gz.string(), "", "not found (nor " + plain.string() + ")" + (hint.empty() ? "" : "; " + hint));
}

std::shared_ptr<IdxDataset> open_idx_split(const std::string& dir, bool train, std::vector<std::string> class_names,
                                           const std::string& hint) {
  const std::string prefix = train ? "train" : "t10k";
  std::string images = find_idx_file(dir, prefix + "-images-idx3-ubyte", hint);
  std::string labels = find_idx_file(dir, prefix + "-labels-idx1-ubyte", hint);
  return std::make_shared<IdxDataset>(images, labels, std::move(class_names));
}

}  // namespace h4h::data
