#pragma once
// `--data SPEC` for the CLI: which dataset, where, and its train / val / test splits.
//
// SPEC is one of
//   fashion-mnist         Fashion-MNIST from the Debian package dataset-fashion-mnist
//                         (/usr/share/datasets/fashion-mnist)
//   fashion-mnist:DIR     Fashion-MNIST IDX files {train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz] in DIR
//   mnist:DIR             MNIST, the same layout
//   cifar10:DIR           CIFAR-10 binary batches data_batch_1..5.bin + test_batch.bin in DIR (or in
//                         DIR/cifar-10-batches-bin)
//   imagefolder:DIR       JPEG/PNG trees (ImageNet layout): DIR/train/CLASS/* with DIR/val/CLASS/* (or
//                         DIR/test/CLASS/*) as the test set; or a single tree DIR/CLASS/*, from which
//                         a test set of SplitOptions::test_fraction is carved with a fixed seed
//                         (kSingleTreeTestSeed, never the user's), so it never moves between runs.
//
// Splits: `test` is the dataset's own test set (t10k, test_batch, val/) and is for final reporting
// only — the search must never see it. `val` is carved from the training data (stratified, seeded,
// see split.h) and is what the search ranks subnets on; `train` is the rest. Defaults: 5000 validation
// samples for Fashion-MNIST, MNIST and CIFAR-10 (55000 / 5000 / 10000 for Fashion-MNIST), and
// min(10000, 10%) of the training tree for ImageFolder.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "nas/data/dataset.h"
#include "nas/data/transform.h"

namespace h4h::data {

enum class DataKind { FashionMnist, Mnist, Cifar10, ImageFolder };

constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";
constexpr uint64_t kSingleTreeTestSeed = 0x7E57;

struct DataSpec {
  DataKind kind = DataKind::FashionMnist;
  std::string dir;
  std::string text;  // as given
};

// Throws ParameterError ("data_spec: ...") on an unknown dataset name or a missing DIR.
DataSpec parse_data_spec(const std::string& text);
std::string data_kind_name(DataKind kind);

// Data-loader threads a training run uses unless told: 0 (batches made on the training thread) for the
// sets held decoded in memory (Fashion-MNIST, MNIST, CIFAR-10), whose batch costs little next to a
// training step and whose worker would take a core from the step (the quick preset on 2 cores trained
// 1.06x faster without it); 1 for ImageFolder, which decodes JPEG/PNG ahead of the step.
int default_loader_workers(DataKind kind);

struct SplitOptions {
  int64_t val_count = -1;         // validation samples; -1: val_fraction if > 0, else the dataset's default
  double val_fraction = -1;       // of the training data, in [0, 1)
  uint64_t seed = 0;              // of the validation carve; keep it fixed across train / eval / search
  double test_fraction = 0.1;     // single ImageFolder tree only
  int decode_min_short_side = 0;  // ImageFolder: JPEG DCT-scaled decoding (ImageFolderOptions)
};

struct DataSplits {
  DataSpec spec;
  DatasetPtr train;      // training data minus the validation split
  DatasetPtr val;        // carved from the training data
  DatasetPtr test;       // held-out test set: final reporting only, never the search
  DatasetPtr train_all;  // train + val (the whole training data), for retraining finalists
  int num_classes = 0;
  ImageShape shape;
  std::vector<std::string> class_names;
  Normalization norm;          // the dataset's per-channel mean / std of pixel / 255
  int default_resolution = 0;  // 32 for the small-image sets (Fashion-MNIST padded 28 -> 32), 224 for ImageFolder
  SplitOptions split;

  // {"spec", "kind", "train", "val", "test", "num_classes", "split_seed", "resolution"}: for checkpoints
  // and reports, so a later command can check it sees the same data.
  nlohmann::json describe() const;
};

// Opens the datasets of `spec` and carves the splits. Throws InputError naming the file or directory
// on missing, truncated or corrupt data and on a validation count larger than the training data.
DataSplits open_data(const DataSpec& spec, const SplitOptions& split = {});

// The standard augmentation for training, and the deterministic one for evaluation, at `resolution`
// (0: default_resolution): Fashion-MNIST / MNIST — PadCrop with a random shift of up to 2 pixels (+ flip
// for Fashion-MNIST only: digits are not mirror-symmetric); CIFAR-10 — PadCrop 4 + flip; ImageFolder —
// RandomResizedCrop + flip, and ResizeCenterCrop (crop fraction 0.875) for evaluation.
TransformOptions train_transform(const DataSplits& d, int resolution = 0);
TransformOptions eval_transform(const DataSplits& d, int resolution = 0);

}  // namespace h4h::data
