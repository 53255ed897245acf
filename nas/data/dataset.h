#pragma once
// The dataset interface: a fixed, indexable collection of labelled 8-bit images.
//
// Contract (every implementation):
//  - size() samples, indices 0 .. size()-1, in a fixed order that never changes for the same files.
//  - label(i) in [0, num_classes()); it is cheap (no image decoding) and equals get(i).label.
//  - get(i) returns the image as interleaved 8-bit pixels, row-major HWC (channel fastest), values
//    0..255 as stored in the file, channels == shape().channels. When shape() has non-zero height and
//    width every image has exactly that size; ImageFolder images vary (shape() reports 0 x 0).
//  - Files are opened and validated (magic numbers, sizes, labels) in the constructor; a missing,
//    truncated or corrupt file throws h4h::InputError naming the file and what was expected. Lazily
//    decoded images (ImageFolder) throw the same from get(i).
//  - get() and label() are const and safe to call from several threads at once.
//  - An index out of range throws std::out_of_range.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace h4h::data {

struct ImageShape {
  int channels = 0;
  int height = 0;  // 0: images differ in size
  int width = 0;
  bool operator==(const ImageShape& o) const {
    return channels == o.channels && height == o.height && width == o.width;
  }
};

// 8-bit pixels, row-major HWC: pixels[(y * width + x) * channels + c].
struct Image {
  int height = 0, width = 0, channels = 0;
  std::vector<uint8_t> pixels;
  uint8_t at(int y, int x, int c) const { return pixels[(static_cast<size_t>(y) * width + x) * channels + c]; }
};

struct Sample {
  Image image;
  int64_t label = 0;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  virtual size_t size() const = 0;
  virtual int num_classes() const = 0;
  virtual ImageShape shape() const = 0;
  virtual int64_t label(size_t index) const = 0;
  virtual Sample get(size_t index) const = 0;
  // Human-readable names of the classes, num_classes() of them.
  virtual std::vector<std::string> class_names() const = 0;
  // Where the data comes from (a file, a directory, "train split of ..."), for messages.
  virtual std::string source() const = 0;
};

using DatasetPtr = std::shared_ptr<const Dataset>;

// A view of `base` holding the samples at `indices` (in that order): index i is base[indices[i]].
// Throws std::invalid_argument when an index is out of range of `base`.
class SubsetDataset : public Dataset {
 public:
  SubsetDataset(DatasetPtr base, std::vector<size_t> indices, std::string source);
  size_t size() const override { return indices_.size(); }
  int num_classes() const override { return base_->num_classes(); }
  ImageShape shape() const override { return base_->shape(); }
  int64_t label(size_t index) const override;
  Sample get(size_t index) const override;
  std::vector<std::string> class_names() const override { return base_->class_names(); }
  std::string source() const override { return source_; }
  const std::vector<size_t>& indices() const { return indices_; }

 private:
  DatasetPtr base_;
  std::vector<size_t> indices_;
  std::string source_;
};

// Throws std::out_of_range "SOURCE: index I out of range [0, N)" when index >= size.
void check_index(const Dataset& d, size_t index);

}  // namespace h4h::data
