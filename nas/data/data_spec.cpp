#include "nas/data/data_spec.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "nas/data/cifar10_dataset.h"
#include "nas/data/idx_dataset.h"
#include "nas/data/image_folder_dataset.h"
#include "nas/data/split.h"
#include "sim/core/error.h"
#include "sim/core/parameter_error.h"

namespace h4h::data {
namespace {

namespace fs = std::filesystem;

const char* kSpecForms = "fashion-mnist, fashion-mnist:DIR, mnist:DIR, cifar10:DIR or imagefolder:DIR";

// Carves `count` validation samples from `all` with `seed`.
void carve_val(DataSplits& d, DatasetPtr all, int64_t count, uint64_t seed) {
  if (count < 0 || static_cast<size_t>(count) >= all->size())
    throw_input_error(all->source(), "",
                      "validation split of " + std::to_string(count) + " samples, expected 0 .. " +
                          std::to_string(all->size() - 1) + " (the training data has " + std::to_string(all->size()) +
                          ")");
  SplitIndices s = carve_split(all_labels(*all), all->num_classes(), static_cast<size_t>(count), seed);
  d.train = std::make_shared<SubsetDataset>(all, std::move(s.kept), "train split of " + all->source());
  d.val = std::make_shared<SubsetDataset>(all, std::move(s.held_out), "val split of " + all->source());
  d.train_all = std::move(all);
}

int64_t val_count_for(const SplitOptions& o, size_t train_size, int64_t dataset_default) {
  if (o.val_count >= 0) return o.val_count;
  if (o.val_fraction >= 0) {
    if (o.val_fraction >= 1) throw ParameterError("data_spec", "val_fraction: expected a fraction in [0, 1)");
    return static_cast<int64_t>(std::llround(o.val_fraction * static_cast<double>(train_size)));
  }
  return dataset_default;
}

void open_imagefolder(DataSplits& d, const SplitOptions& o) {
  const fs::path root = d.spec.dir;
  std::error_code ec;
  ImageFolderOptions io{o.decode_min_short_side};
  DatasetPtr train_all, test;
  if (fs::is_directory(root / "train", ec)) {
    fs::path test_dir = fs::is_directory(root / "val", ec) ? root / "val" : root / "test";
    if (!fs::is_directory(test_dir, ec))
      throw_input_error(root.string(), "",
                        "has train/ but neither val/ nor test/ (expected DIR/train/CLASS/* and DIR/val/CLASS/*)");
    train_all = std::make_shared<ImageFolderDataset>((root / "train").string(), io);
    test = std::make_shared<ImageFolderDataset>(test_dir.string(), io);
    if (test->class_names() != train_all->class_names())
      throw_input_error(test_dir.string(), "",
                        "classes differ from " + (root / "train").string() + " (" +
                            std::to_string(test->num_classes()) + " vs " + std::to_string(train_all->num_classes()) +
                            " class directories; the label of a class is its rank by name, so both need the same set)");
  } else {
    auto tree = std::make_shared<ImageFolderDataset>(root.string(), io);
    if (!(o.test_fraction > 0 && o.test_fraction < 1))
      throw ParameterError("data_spec", "test_fraction: expected a fraction in (0, 1)");
    const size_t count = static_cast<size_t>(std::llround(o.test_fraction * static_cast<double>(tree->size())));
    if (count < 1 || count + 1 >= tree->size())
      throw_input_error(root.string(), "",
                        std::to_string(tree->size()) + " images are too few to carve a test set and a training set");
    SplitIndices s = carve_split(all_labels(*tree), tree->num_classes(), count, kSingleTreeTestSeed);
    test = std::make_shared<SubsetDataset>(tree, std::move(s.held_out), "test split of " + root.string());
    train_all = std::make_shared<SubsetDataset>(tree, std::move(s.kept), "training part of " + root.string());
  }
  d.test = test;
  const int64_t dflt = std::min<int64_t>(10000, static_cast<int64_t>(train_all->size() / 10));
  carve_val(d, train_all, val_count_for(o, train_all->size(), dflt), o.seed);
  d.norm = {{0.485f, 0.456f, 0.406f}, {0.229f, 0.224f, 0.225f}};  // ImageNet's, torchvision's convention
  d.default_resolution = 224;
}

}  // namespace

std::string data_kind_name(DataKind kind) {
  switch (kind) {
    case DataKind::FashionMnist:
      return "fashion-mnist";
    case DataKind::Mnist:
      return "mnist";
    case DataKind::Cifar10:
      return "cifar10";
    case DataKind::ImageFolder:
      return "imagefolder";
  }
  return "?";
}

int default_loader_workers(DataKind kind) { return kind == DataKind::ImageFolder ? 1 : 0; }

DataSpec parse_data_spec(const std::string& text) {
  DataSpec s;
  s.text = text;
  const size_t colon = text.find(':');
  const std::string name = text.substr(0, colon);
  const bool has_dir = colon != std::string::npos;
  s.dir = has_dir ? text.substr(colon + 1) : "";
  if (name == "fashion-mnist")
    s.kind = DataKind::FashionMnist;
  else if (name == "mnist")
    s.kind = DataKind::Mnist;
  else if (name == "cifar10")
    s.kind = DataKind::Cifar10;
  else if (name == "imagefolder")
    s.kind = DataKind::ImageFolder;
  else
    throw ParameterError("data_spec", "unknown dataset '" + text + "'; expected " + kSpecForms);
  if (has_dir && s.dir.empty())
    throw ParameterError("data_spec", "'" + text + "' has an empty directory after ':'; expected " + kSpecForms);
  if (!has_dir) {
    if (s.kind != DataKind::FashionMnist)
      throw ParameterError("data_spec", "'" + name + "' needs a directory: " + name + ":DIR");
    s.dir = kFashionMnistDir;
  }
  return s;
}

DataSplits open_data(const DataSpec& spec, const SplitOptions& o) {
  DataSplits d;
  d.spec = spec;
  d.split = o;
  switch (spec.kind) {
    case DataKind::FashionMnist:
    case DataKind::Mnist: {
      const bool fashion = spec.kind == DataKind::FashionMnist;
      const std::string hint =
          fashion ? (spec.dir == kFashionMnistDir ? "install the Debian package dataset-fashion-mnist"
                                                  : "expected Fashion-MNIST's IDX files in " + spec.dir)
                  : "expected MNIST's IDX files in " + spec.dir;
      auto names = fashion ? fashion_mnist_class_names() : mnist_class_names();
      auto train_all = open_idx_split(spec.dir, true, names, hint);
      d.test = open_idx_split(spec.dir, false, names, hint);
      carve_val(d, train_all, val_count_for(o, train_all->size(), 5000), o.seed);
      // Means and standard deviations of pixel / 255 over the 60000 training images.
      d.norm = fashion ? Normalization{{0.2860f}, {0.3530f}} : Normalization{{0.1307f}, {0.3081f}};
      d.default_resolution = 32;
      break;
    }
    case DataKind::Cifar10: {
      auto train_all = open_cifar10_split(spec.dir, true);
      d.test = open_cifar10_split(spec.dir, false);
      carve_val(d, train_all, val_count_for(o, train_all->size(), 5000), o.seed);
      d.norm = {{0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f}};
      d.default_resolution = 32;
      break;
    }
    case DataKind::ImageFolder:
      open_imagefolder(d, o);
      break;
  }
  d.num_classes = d.train_all->num_classes();
  d.shape = d.train_all->shape();
  d.class_names = d.train_all->class_names();
  return d;
}

nlohmann::json DataSplits::describe() const {
  return {{"spec", spec.text},
          {"kind", data_kind_name(spec.kind)},
          {"dir", spec.dir},
          {"train", train->size()},
          {"val", val->size()},
          {"test", test->size()},
          {"num_classes", num_classes},
          {"split_seed", split.seed},
          {"resolution", default_resolution}};
}

TransformOptions train_transform(const DataSplits& d, int resolution) {
  TransformOptions t;
  t.size = resolution > 0 ? resolution : d.default_resolution;
  t.norm = d.norm;
  t.hflip = d.spec.kind != DataKind::Mnist;
  switch (d.spec.kind) {
    case DataKind::FashionMnist:
    case DataKind::Mnist:
      t.mode = CropMode::PadCrop;
      t.crop_padding = 2;
      break;
    case DataKind::Cifar10:
      t.mode = CropMode::PadCrop;
      t.crop_padding = 4;
      break;
    case DataKind::ImageFolder:
      t.mode = CropMode::RandomResizedCrop;
      break;
  }
  return t;
}

TransformOptions eval_transform(const DataSplits& d, int resolution) {
  TransformOptions t;
  t.size = resolution > 0 ? resolution : d.default_resolution;
  t.norm = d.norm;
  t.mode = d.spec.kind == DataKind::ImageFolder ? CropMode::ResizeCenterCrop : CropMode::PadCrop;
  return t;
}

}  // namespace h4h::data
