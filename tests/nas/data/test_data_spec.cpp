// `--data` specs and the train / val / test splits they open.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "nas/data/data_spec.h"
#include "tests/nas/data/fixtures.h"

namespace h4h::data {
namespace {

namespace fs = std::filesystem;
using test::input_error_of;
using ::testing::HasSubstr;

std::vector<size_t> base_indices(const DatasetPtr& d) { return dynamic_cast<const SubsetDataset&>(*d).indices(); }

void expect_disjoint(const DatasetPtr& a, const DatasetPtr& b, size_t total) {
  std::set<size_t> all;
  for (size_t i : base_indices(a)) all.insert(i);
  for (size_t i : base_indices(b)) EXPECT_TRUE(all.insert(i).second) << i;
  EXPECT_EQ(all.size(), total);
}

TEST(DataSpec, Parses) {
  DataSpec d = parse_data_spec("fashion-mnist");
  EXPECT_EQ(d.kind, DataKind::FashionMnist);
  EXPECT_EQ(d.dir, kFashionMnistDir);
  EXPECT_EQ(parse_data_spec("fashion-mnist:/data/fm").dir, "/data/fm");
  EXPECT_EQ(parse_data_spec("mnist:m").kind, DataKind::Mnist);
  EXPECT_EQ(parse_data_spec("cifar10:/c:weird").dir, "/c:weird");
  EXPECT_EQ(parse_data_spec("imagefolder:/imagenet").kind, DataKind::ImageFolder);
  EXPECT_THAT(input_error_of([] { parse_data_spec("imagenet"); }),
              HasSubstr("data_spec: unknown dataset 'imagenet'; expected fashion-mnist"));
  EXPECT_THAT(input_error_of([] { parse_data_spec("cifar10"); }), HasSubstr("needs a directory: cifar10:DIR"));
  EXPECT_THAT(input_error_of([] { parse_data_spec("cifar10:"); }), HasSubstr("empty directory"));
  EXPECT_THAT(input_error_of([] { parse_data_spec(""); }), HasSubstr("unknown dataset"));
}

TEST(DataSpec, LoaderWorkersOnlyForDecodedImageFiles) {
  EXPECT_EQ(default_loader_workers(DataKind::FashionMnist), 0);
  EXPECT_EQ(default_loader_workers(DataKind::Mnist), 0);
  EXPECT_EQ(default_loader_workers(DataKind::Cifar10), 0);
  EXPECT_EQ(default_loader_workers(DataKind::ImageFolder), 1);
}

TEST(DataSpec, FashionMnistDefaultSplits) {
  ASSERT_TRUE(fs::exists(std::string(kFashionMnistDir) + "/train-images-idx3-ubyte.gz"))
      << "dataset-fashion-mnist is not installed (scripts/setup.sh installs it)";
  DataSplits d = open_data(parse_data_spec("fashion-mnist"));
  EXPECT_EQ(d.train->size(), 55000u);
  EXPECT_EQ(d.val->size(), 5000u);
  EXPECT_EQ(d.test->size(), 10000u);
  EXPECT_EQ(d.train_all->size(), 60000u);
  EXPECT_EQ(d.num_classes, 10);
  EXPECT_EQ(d.shape, (ImageShape{1, 28, 28}));
  expect_disjoint(d.train, d.val, 60000);
  std::vector<int> per_class(10, 0);
  for (size_t i = 0; i < d.val->size(); ++i) ++per_class[static_cast<size_t>(d.val->label(i))];
  for (int c : per_class) EXPECT_EQ(c, 500);
  // Reproducible; another seed carves another split.
  DataSplits again = open_data(parse_data_spec("fashion-mnist"));
  EXPECT_EQ(base_indices(again.val), base_indices(d.val));
  SplitOptions other;
  other.seed = 1;
  EXPECT_NE(base_indices(open_data(parse_data_spec("fashion-mnist"), other).val), base_indices(d.val));
  nlohmann::json j = d.describe();
  EXPECT_EQ(j["train"], 55000);
  EXPECT_EQ(j["kind"], "fashion-mnist");
  // The normalisation constants are the training set's statistics.
  double sum = 0, sq = 0;
  const size_t n = d.train_all->size();
  for (size_t i = 0; i < n; ++i)
    for (uint8_t p : d.train_all->get(i).image.pixels) {
      sum += p / 255.0;
      sq += (p / 255.0) * (p / 255.0);
    }
  const double mean = sum / (n * 784.0), sd = std::sqrt(sq / (n * 784.0) - mean * mean);
  EXPECT_NEAR(d.norm.mean[0], mean, 1e-4);
  EXPECT_NEAR(d.norm.std[0], sd, 1e-4);
}

TEST(DataSpec, IdxDirectoryAndValidationSizes) {
  test::TempDir dir;
  for (const char* p : {"train", "t10k"}) {
    const uint32_t n = std::string(p) == "train" ? 200 : 50;
    test::write_gz(dir.file(std::string(p) + "-images-idx3-ubyte.gz"), test::idx_images(n, 28, 28));
    test::write_gz(dir.file(std::string(p) + "-labels-idx1-ubyte.gz"), test::idx_labels(n, 10));
  }
  SplitOptions o;
  o.val_count = 40;
  DataSplits d = open_data(parse_data_spec("mnist:" + dir.path()), o);
  EXPECT_EQ(d.train->size(), 160u);
  EXPECT_EQ(d.val->size(), 40u);
  EXPECT_EQ(d.test->size(), 50u);
  expect_disjoint(d.train, d.val, 200);
  o.val_count = -1;
  o.val_fraction = 0.25;
  EXPECT_EQ(open_data(parse_data_spec("fashion-mnist:" + dir.path()), o).val->size(), 50u);
  // The default 5000 does not fit in 200 images.
  std::string msg = input_error_of([&] { open_data(parse_data_spec("fashion-mnist:" + dir.path())); });
  EXPECT_THAT(msg, HasSubstr("validation split of 5000 samples, expected 0 .. 199"));
  EXPECT_THAT(msg, HasSubstr("train-images-idx3-ubyte.gz"));
  // Transforms: pad 28 -> 32, MNIST without flips.
  EXPECT_EQ(train_transform(d).size, 32);
  EXPECT_FALSE(train_transform(d).hflip);
  EXPECT_EQ(train_transform(d).crop_padding, 2);
  EXPECT_EQ(eval_transform(d, 28).size, 28);
  EXPECT_EQ(eval_transform(d).crop_padding, 0);
}

TEST(DataSpec, MissingDatasetNamesTheFile) {
  std::string msg = input_error_of([] { open_data(parse_data_spec("fashion-mnist:/nonexistent/fm")); });
  EXPECT_THAT(msg, HasSubstr("/nonexistent/fm/train-images-idx3-ubyte.gz: not found"));
  msg = input_error_of([] { open_data(parse_data_spec("cifar10:/nonexistent/c")); });
  EXPECT_THAT(msg, HasSubstr("/nonexistent/c"));
  msg = input_error_of([] { open_data(parse_data_spec("imagefolder:/nonexistent/i")); });
  EXPECT_THAT(msg, HasSubstr("/nonexistent/i: ImageFolder directory not found"));
}

TEST(DataSpec, Cifar10) {
  test::TempDir dir;
  for (int b = 1; b <= 5; ++b)
    test::write_bytes(dir.file("data_batch_" + std::to_string(b) + ".bin"), test::cifar_records(20, b));
  test::write_bytes(dir.file("test_batch.bin"), test::cifar_records(10));
  SplitOptions o;
  o.val_count = 10;
  DataSplits d = open_data(parse_data_spec("cifar10:" + dir.path()), o);
  EXPECT_EQ(d.train->size(), 90u);
  EXPECT_EQ(d.val->size(), 10u);
  EXPECT_EQ(d.test->size(), 10u);
  EXPECT_EQ(d.shape, (ImageShape{3, 32, 32}));
  EXPECT_EQ(d.norm.mean.size(), 3u);
  EXPECT_EQ(train_transform(d).crop_padding, 4);
  EXPECT_TRUE(train_transform(d).hflip);
}

void make_tree(const std::string& root, const std::vector<std::string>& classes, int per_class) {
  for (const std::string& c : classes) {
    fs::create_directories(root + "/" + c);
    for (int i = 0; i < per_class; ++i)
      test::write_png(root + "/" + c + "/" + std::to_string(i) + ".png", test::test_card(6 + i, 5, 9));
  }
}

TEST(DataSpec, ImageFolderTrainVal) {
  test::TempDir dir;
  make_tree(dir.file("train"), {"cat", "dog"}, 10);
  make_tree(dir.file("val"), {"cat", "dog"}, 3);
  DataSplits d = open_data(parse_data_spec("imagefolder:" + dir.path()));
  EXPECT_EQ(d.test->size(), 6u);  // val/ is the test set
  EXPECT_EQ(d.val->size(), 2u);   // min(10000, 10%) of train/
  EXPECT_EQ(d.train->size(), 18u);
  EXPECT_EQ(d.class_names, (std::vector<std::string>{"cat", "dog"}));
  EXPECT_EQ(d.default_resolution, 224);
  EXPECT_EQ(train_transform(d).mode, CropMode::RandomResizedCrop);
  EXPECT_EQ(eval_transform(d, 160).mode, CropMode::ResizeCenterCrop);
  EXPECT_EQ(eval_transform(d, 160).size, 160);
  // A val/ tree whose classes differ would shift labels: refused.
  make_tree(dir.file("val"), {"eel"}, 1);
  std::string msg = input_error_of([&] { open_data(parse_data_spec("imagefolder:" + dir.path())); });
  EXPECT_THAT(msg, HasSubstr(dir.file("val") + ": classes differ from " + dir.file("train")));
  fs::remove_all(dir.file("val"));
  EXPECT_THAT(input_error_of([&] { open_data(parse_data_spec("imagefolder:" + dir.path())); }),
              HasSubstr("neither val/ nor test/"));
}

TEST(DataSpec, ImageFolderSingleTreeTestSetIgnoresTheSeed) {
  test::TempDir dir;
  make_tree(dir.path(), {"a", "b", "c", "d"}, 10);
  SplitOptions o;
  o.val_count = 4;
  DataSplits d1 = open_data(parse_data_spec("imagefolder:" + dir.path()), o);
  o.seed = 99;
  DataSplits d2 = open_data(parse_data_spec("imagefolder:" + dir.path()), o);
  EXPECT_EQ(d1.test->size(), 4u);
  EXPECT_EQ(base_indices(d1.test), base_indices(d2.test));  // the test set never moves
  EXPECT_EQ(d1.train->size() + d1.val->size(), 36u);
  // Test, val and train are pairwise disjoint in the tree's numbering.
  const std::vector<size_t> test_part = base_indices(d1.test);
  std::set<size_t> all(test_part.begin(), test_part.end());
  const std::vector<size_t> kept = base_indices(d1.train_all);
  for (size_t i : base_indices(d1.val)) EXPECT_TRUE(all.insert(kept[i]).second);
  for (size_t i : base_indices(d1.train)) EXPECT_TRUE(all.insert(kept[i]).second);
  EXPECT_EQ(all.size(), 40u);
}

}  // namespace
}  // namespace h4h::data
