#pragma once
// MNIST-format (IDX) datasets: Fashion-MNIST and MNIST, read straight from the .gz files.
//
// IDX (LeCun et al.): a big-endian header — two zero bytes, a type byte (0x08 = unsigned byte), the
// number of dimensions — then one big-endian uint32 per dimension, then the data. Images are
// idx3 (N x rows x cols), labels idx1 (N). Both files are read whole into memory (Fashion-MNIST's
// training images are 47 MB).
#include <string>

#include "nas/data/dataset.h"

namespace h4h::data {

class IdxDataset : public Dataset {
 public:
  // Throws InputError naming the file on a missing or unreadable file, a corrupt or truncated gzip
  // stream, a wrong magic number, data shorter or longer than the header says, image and label counts
  // that differ, or a label >= class_names.size().
  IdxDataset(const std::string& images_path, const std::string& labels_path, std::vector<std::string> class_names);

  size_t size() const override { return count_; }
  int num_classes() const override { return static_cast<int>(class_names_.size()); }
  ImageShape shape() const override { return {1, rows_, cols_}; }
  int64_t label(size_t index) const override;
  Sample get(size_t index) const override;
  std::vector<std::string> class_names() const override { return class_names_; }
  std::string source() const override { return images_path_; }

 private:
  std::string images_path_;
  std::vector<std::string> class_names_;
  size_t count_ = 0;
  int rows_ = 0, cols_ = 0;
  std::vector<uint8_t> images_;  // the whole decompressed file, header included
  std::vector<uint8_t> labels_;  // likewise
  size_t images_offset_ = 0, labels_offset_ = 0;
};

std::vector<std::string> fashion_mnist_class_names();
std::vector<std::string> mnist_class_names();

// The path of FILE in `dir`: FILE.gz when present, else FILE uncompressed; throws InputError naming
// DIR/FILE.gz and `hint` when neither exists.
std::string find_idx_file(const std::string& dir, const std::string& file, const std::string& hint);

// The standard training (`train` = true, 60000 samples) or test (10000) set of a directory laid out
// like the Debian package dataset-fashion-mnist / the MNIST distribution:
// {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz].
std::shared_ptr<IdxDataset> open_idx_split(const std::string& dir, bool train, std::vector<std::string> class_names,
                                           const std::string& hint);

}  // namespace h4h::data
