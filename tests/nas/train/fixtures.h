#pragma once
// A tiny Fashion-MNIST-shaped dataset (IDX .gz files of 12x12 images) and a tiny hybrid search
// space, so that training tests take seconds.
#include <stdexcept>
#include <string>

#include "tests/nas/data/fixtures.h"
#include "tests/support/run.h"

namespace h4h::test {

// DIR/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz: `train` and `test` images of 12x12, 10 classes.
inline void write_tiny_fashion(const std::string& dir, uint32_t train = 96, uint32_t test = 40) {
  write_gz(dir + "/train-images-idx3-ubyte.gz", idx_images(train, 12, 12));
  write_gz(dir + "/train-labels-idx1-ubyte.gz", idx_labels(train, 10));
  write_gz(dir + "/t10k-images-idx3-ubyte.gz", idx_images(test, 12, 12));
  write_gz(dir + "/t10k-labels-idx1-ubyte.gz", idx_labels(test, 10));
}

inline const char* kTinySpaceYaml = R"(version: 1
name: tiny
input_channels: 1
num_classes: 10
resolutions: [8, 12]
activation: swish
first_conv: {widths: [4, 8], kernel: 3, stride: 2}
stages:
  - {name: s1, widths: [4, 8], depths: [1, 2], stride: 1,
     mbconv: {kernels: [3, 5], expands: [1, 2], se: [false, true]}}
  - {name: s2, widths: [8, 16], depths: [1, 2], stride: 2,
     mbconv: {kernels: [3], expands: [2, 3], se: [false]},
     transformer: {heads: [1, 2], head_dims: [4], mlp_ratios: [1, 2]},
     later_blocks: [mbconv, transformer]}
head: {conv_widths: [16, 24], fc_widths: [32]}
)";

// A directory holding tiny.yaml and the dataset in data/.
struct TinySetup {
  TempDir dir;
  std::string space, data, out;
  TinySetup() {
    space = dir.file("tiny.yaml");
    write_file(space, kTinySpaceYaml);
    std::filesystem::create_directory(dir.file("data"));
    write_tiny_fashion(dir.file("data"));
    data = "fashion-mnist:" + dir.file("data");
    out = dir.file("run");
  }
};

// A tiny supernet trained by `h4h train` once per test process (one epoch, a few seconds), for the
// tests of commands that read a checkpoint. Throws when the training fails.
struct TrainedTiny {
  TinySetup setup;
  std::string checkpoint;
  TrainedTiny() {
    const auto r = run_h4h({"train", "--space", setup.space, "--data", setup.data, "--out", setup.out, "--epochs", "1",
                            "--batch-size", "16", "--val-count", "32", "--threads", "1"},
                           120);
    if (!r.exited() || r.exit_code != 0) throw std::runtime_error("training the fixture failed: " + r.describe());
    checkpoint = setup.out + "/last.ckpt";
  }
};

inline const TrainedTiny& trained_tiny() {
  static const TrainedTiny t;
  return t;
}

}  // namespace h4h::test
