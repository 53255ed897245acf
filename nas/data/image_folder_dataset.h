#pragma once
// ImageFolder trees (torchvision's layout, as ImageNet is usually unpacked): ROOT/CLASS/IMAGE, one
// sub-directory per class. Classes are the sub-directories sorted by name (byte order), labelled
// 0, 1, ...; a class's images are its regular files ending in .jpg, .jpeg or .png (any case),
// sorted by name. Other files are ignored; deeper directories are not searched. Images are decoded
// on get() (JPEG with libjpeg-turbo, PNG with libpng), always to 3-channel RGB.
#include <string>
#include <vector>

#include "nas/data/dataset.h"

namespace h4h::data {

struct ImageFolderOptions {
  // > 0: JPEGs decode at 1/2, 1/4 or 1/8 scale while their shorter side stays >= this (see
  // decode_image); set it to about the training resolution to decode large photos several times faster.
  int decode_min_short_side = 0;
};

class ImageFolderDataset : public Dataset {
 public:
  // Scans `root`. Throws InputError naming the directory when it is missing, has no class
  // sub-directories, or a class directory holds no image.
  explicit ImageFolderDataset(const std::string& root, ImageFolderOptions options = {});

  size_t size() const override { return files_.size(); }
  int num_classes() const override { return static_cast<int>(classes_.size()); }
  ImageShape shape() const override { return {3, 0, 0}; }
  int64_t label(size_t index) const override;
  // Throws InputError naming the file when it cannot be read or decoded.
  Sample get(size_t index) const override;
  std::vector<std::string> class_names() const override { return classes_; }
  std::string source() const override { return root_; }
  const std::string& path(size_t index) const;

 private:
  std::string root_;
  ImageFolderOptions options_;
  std::vector<std::string> classes_;
  std::vector<std::string> files_;
  std::vector<int32_t> labels_;
};

}  // namespace h4h::data
