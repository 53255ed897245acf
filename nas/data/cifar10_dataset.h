#pragma once
// CIFAR-10 binary batches (https://www.cs.toronto.edu/~kriz/cifar.html, "binary version"): each file
// is a sequence of 3073-byte records — one label byte (0..9), then a 32x32 colour image as three
// planes (1024 red, 1024 green, 1024 blue bytes), row-major. The training set is data_batch_1.bin ..
// data_batch_5.bin (10000 records each), the test set test_batch.bin. Files are read whole into memory;
// get() converts a record to interleaved HWC.
#include <string>
#include <vector>

#include "nas/data/dataset.h"

namespace h4h::data {

class Cifar10Dataset : public Dataset {
 public:
  static constexpr size_t kRecordBytes = 1 + 3 * 32 * 32;

  // The records of `files`, in order. Throws InputError naming the file when one is missing or
  // unreadable, empty, not a whole number of 3073-byte records (truncated), or has a label > 9.
  explicit Cifar10Dataset(std::vector<std::string> files);

  size_t size() const override { return labels_.size(); }
  int num_classes() const override { return 10; }
  ImageShape shape() const override { return {3, 32, 32}; }
  int64_t label(size_t index) const override;
  Sample get(size_t index) const override;
  std::vector<std::string> class_names() const override;
  std::string source() const override;

 private:
  std::vector<std::string> files_;
  std::vector<uint8_t> labels_;
  std::vector<uint8_t> planes_;  // 3072 bytes per sample, CHW
};

// The training (data_batch_1..5.bin) or test (test_batch.bin) set of a CIFAR-10 directory: DIR itself
// or DIR/cifar-10-batches-bin (the layout of the official tarball). Throws InputError naming the first
// missing file.
std::shared_ptr<Cifar10Dataset> open_cifar10_split(const std::string& dir, bool train);

}  // namespace h4h::data
