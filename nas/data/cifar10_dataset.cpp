#include "nas/data/cifar10_dataset.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "sim/core/error.h"

namespace h4h::data {
namespace {

std::vector<uint8_t> read_binary(const std::string& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw_input_error(path, "", std::string("cannot open: ") + std::strerror(errno));
  std::streamoff n = in.tellg();
  if (n < 0) throw_input_error(path, "", "cannot determine the file size");
  std::vector<uint8_t> out(static_cast<size_t>(n));
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(out.data()), n)) throw_input_error(path, "", "read error");
  return out;
}

}  // namespace

Cifar10Dataset::Cifar10Dataset(std::vector<std::string> files) : files_(std::move(files)) {
  if (files_.empty()) throw std::invalid_argument("Cifar10Dataset: no files");
  for (const std::string& path : files_) {
    std::vector<uint8_t> bytes = read_binary(path);
    if (bytes.empty() || bytes.size() % kRecordBytes != 0)
      throw_input_error(
          path, "",
          (bytes.empty() ? std::string("empty file")
                         : "truncated: " + std::to_string(bytes.size()) + " bytes is not a whole number of records") +
              "; expected CIFAR-10 binary records of " + std::to_string(kRecordBytes) +
              " bytes (1 label byte + 3x32x32 pixels)");
    const size_t records = bytes.size() / kRecordBytes;
    labels_.reserve(labels_.size() + records);
    planes_.reserve(planes_.size() + records * (kRecordBytes - 1));
    for (size_t r = 0; r < records; ++r) {
      const uint8_t* rec = bytes.data() + r * kRecordBytes;
      if (rec[0] > 9)
        throw_input_error(path, "record " + std::to_string(r),
                          "label byte " + std::to_string(rec[0]) + " out of range, expected 0..9");
      labels_.push_back(rec[0]);
      planes_.insert(planes_.end(), rec + 1, rec + kRecordBytes);
    }
  }
}

int64_t Cifar10Dataset::label(size_t index) const {
  check_index(*this, index);
  return labels_[index];
}

Sample Cifar10Dataset::get(size_t index) const {
  check_index(*this, index);
  constexpr int kPlane = 32 * 32;
  Sample s;
  s.label = labels_[index];
  s.image.height = 32;
  s.image.width = 32;
  s.image.channels = 3;
  s.image.pixels.resize(3 * kPlane);
  const uint8_t* src = planes_.data() + index * (kRecordBytes - 1);
  for (int p = 0; p < kPlane; ++p)
    for (int c = 0; c < 3; ++c) s.image.pixels[3 * p + c] = src[c * kPlane + p];
  return s;
}

std::vector<std::string> Cifar10Dataset::class_names() const {
  return {"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
}

std::string Cifar10Dataset::source() const {
  return files_.size() == 1 ? files_[0] : files_[0] + " (+" + std::to_string(files_.size() - 1) + " more)";
}

std::shared_ptr<Cifar10Dataset> open_cifar10_split(const std::string& dir, bool train) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path root = dir;
  if (!fs::exists(root / "test_batch.bin", ec) && fs::exists(root / "cifar-10-batches-bin", ec))
    root /= "cifar-10-batches-bin";
  if (!fs::is_directory(root, ec)) throw_input_error(dir, "", "CIFAR-10 directory not found");
  std::vector<std::string> files;
  if (train)
    for (int b = 1; b <= 5; ++b) files.push_back((root / ("data_batch_" + std::to_string(b) + ".bin")).string());
  else
    files.push_back((root / "test_batch.bin").string());
  for (const std::string& f : files)
    if (!fs::is_regular_file(f, ec))
      throw_input_error(f, "", "not found; expected the CIFAR-10 binary version (data_batch_1..5.bin, test_batch.bin)");
  return std::make_shared<Cifar10Dataset>(std::move(files));
}

}  // namespace h4h::data
