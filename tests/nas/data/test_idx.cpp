// IDX (Fashion-MNIST / MNIST) reading: the real Debian dataset, synthetic files, and every error path.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "nas/data/gzip_file.h"
#include "nas/data/idx_dataset.h"
#include "tests/nas/data/fixtures.h"

namespace h4h::data {
namespace {

using test::input_error_of;
using ::testing::HasSubstr;

const std::string kDir = "/usr/share/datasets/fashion-mnist";

TEST(FashionMnist, RealFilesLoad) {
  ASSERT_TRUE(std::filesystem::exists(kDir + "/train-images-idx3-ubyte.gz"))
      << "dataset-fashion-mnist is not installed (scripts/setup.sh installs it)";
  auto train = open_idx_split(kDir, true, fashion_mnist_class_names(), "");
  auto test = open_idx_split(kDir, false, fashion_mnist_class_names(), "");
  EXPECT_EQ(train->size(), 60000u);
  EXPECT_EQ(test->size(), 10000u);
  EXPECT_EQ(train->shape(), (ImageShape{1, 28, 28}));
  EXPECT_EQ(train->num_classes(), 10);
  EXPECT_EQ(train->class_names()[9], "Ankle boot");
  // The first labels as stored in the files (read with zcat | od).
  const std::vector<int64_t> train_first = {9, 0, 0, 3, 0, 2, 7, 2, 5, 5};
  const std::vector<int64_t> test_first = {9, 2, 1, 1, 6, 1, 4, 6, 5, 7};
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(train->label(i), train_first[i]) << i;
    EXPECT_EQ(test->label(i), test_first[i]) << i;
  }
  // Pixels of the first and last training images (sums computed with Python's gzip module).
  Sample first = train->get(0);
  EXPECT_EQ(first.label, 9);
  ASSERT_EQ(first.image.pixels.size(), 784u);
  int64_t sum = 0;
  for (uint8_t p : first.image.pixels) sum += p;
  EXPECT_EQ(sum, 76247);
  EXPECT_EQ(first.image.at(14, 3, 0), 0x04);
  EXPECT_EQ(first.image.at(14, 12, 0), 0xed);
  sum = 0;
  for (uint8_t p : train->get(59999).image.pixels) sum += p;
  EXPECT_EQ(sum, 16684);
  // Every class appears 6000 times in the training set.
  std::vector<int> counts(10, 0);
  for (size_t i = 0; i < train->size(); ++i) ++counts[static_cast<size_t>(train->label(i))];
  for (int c : counts) EXPECT_EQ(c, 6000);
  EXPECT_THROW(train->get(60000), std::out_of_range);
}

class IdxFiles : public ::testing::Test {
 protected:
  test::TempDir dir;
  std::string images = dir.file("train-images-idx3-ubyte.gz"), labels = dir.file("train-labels-idx1-ubyte.gz");
  void write(uint32_t n = 12, uint32_t rows = 5, uint32_t cols = 4) {
    test::write_gz(images, test::idx_images(n, rows, cols));
    test::write_gz(labels, test::idx_labels(n, 3));
  }
  IdxDataset open(int classes = 3) {
    return IdxDataset(images, labels, std::vector<std::string>(static_cast<size_t>(classes), "c"));
  }
};

TEST_F(IdxFiles, SyntheticGzipRoundTrip) {
  write();
  IdxDataset d = open();
  EXPECT_EQ(d.size(), 12u);
  EXPECT_EQ(d.shape(), (ImageShape{1, 5, 4}));
  Sample s = d.get(7);
  EXPECT_EQ(s.label, 7 % 3);
  EXPECT_EQ(s.image.height, 5);
  EXPECT_EQ(s.image.width, 4);
  EXPECT_EQ(s.image.at(2, 3, 0), (7 * 7 + 2 * 3 + 3) % 256);
}

TEST_F(IdxFiles, UncompressedFilesAreFoundAndRead) {
  test::write_bytes(dir.file("t10k-images-idx3-ubyte"), test::idx_images(6, 3, 3));
  test::write_bytes(dir.file("t10k-labels-idx1-ubyte"), test::idx_labels(6, 10));
  auto d = open_idx_split(dir.path(), false, mnist_class_names(), "");
  EXPECT_EQ(d->size(), 6u);
  EXPECT_EQ(d->get(5).image.at(2, 2, 0), (5 * 7 + 2 * 3 + 2) % 256);
}

TEST_F(IdxFiles, MissingFileNamesItAndTheHint) {
  std::string msg = input_error_of([&] { open_idx_split(dir.path(), true, mnist_class_names(), "install X"); });
  EXPECT_THAT(msg, HasSubstr(dir.file("train-images-idx3-ubyte.gz")));
  EXPECT_THAT(msg, HasSubstr("not found"));
  EXPECT_THAT(msg, HasSubstr("install X"));
}

TEST_F(IdxFiles, TruncatedGzipStream) {
  write(200, 28, 28);
  test::truncate_file(images, test::read_file(images).size() / 2);
  std::string msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("truncated gzip"));
}

TEST_F(IdxFiles, CorruptGzipStream) {
  write(200, 28, 28);
  std::string s = test::read_file(images);
  for (size_t i = 20; i < 60; ++i) s[i] = static_cast<char>(s[i] ^ 0x5A);
  test::write_file(images, s);
  std::string msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("gzip"));
}

TEST_F(IdxFiles, PlainBytesNamedGz) {
  write();
  test::write_bytes(images, test::idx_images(12, 5, 4));  // valid IDX, but not compressed
  std::string msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("not gzip data"));
}

TEST_F(IdxFiles, TruncatedIdxDataInsideValidGzip) {
  write();
  test::Bytes b = test::idx_images(12, 5, 4);
  b.resize(b.size() - 1);
  test::write_gz(images, b);
  std::string msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("truncated: 239 data bytes, expected 240 for dimensions 12x5x4"));
}

TEST_F(IdxFiles, TrailingBytes) {
  write();
  test::Bytes b = test::idx_labels(12, 3);
  b.push_back(0);
  test::write_gz(labels, b);
  EXPECT_THAT(input_error_of([&] { open(); }), HasSubstr("trailing bytes"));
}

TEST_F(IdxFiles, WrongMagicNumbers) {
  write();
  test::write_gz(images, test::idx_labels(12, 3));  // labels where images belong
  std::string msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(images));
  EXPECT_THAT(msg, HasSubstr("wrong magic number 00 00 08 01; expected 00 00 08 03"));
  write();
  test::Bytes b = test::idx_labels(12, 3);
  b[2] = 0x0D;  // float data
  test::write_gz(labels, b);
  msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(labels));
  EXPECT_THAT(msg, HasSubstr("wrong magic number 00 00 0d 01"));
}

TEST_F(IdxFiles, TooShortForAHeader) {
  write();
  test::write_gz(labels, {0, 0});
  EXPECT_THAT(input_error_of([&] { open(); }), HasSubstr("too short for an IDX header"));
  test::write_gz(labels, {0, 0, 8, 1, 0});
  EXPECT_THAT(input_error_of([&] { open(); }), HasSubstr("truncated IDX header"));
}

TEST_F(IdxFiles, HugeDimensionsDoNotOverflow) {
  write();
  test::Bytes b = {0, 0, 8, 3};
  for (int d = 0; d < 3; ++d) test::put_be32(b, 0xFFFFFFFFu);
  test::write_gz(images, b);
  EXPECT_THAT(input_error_of([&] { open(); }), HasSubstr("expected more than 2^64"));
}

TEST_F(IdxFiles, CountMismatchAndLabelRange) {
  write();
  test::write_gz(labels, test::idx_labels(11, 3));
  std::string msg = input_error_of([&] { open(); });
  EXPECT_THAT(msg, HasSubstr(labels));
  EXPECT_THAT(msg, HasSubstr("11 labels, expected 12"));
  test::write_gz(labels, test::idx_labels(12, 3));
  msg = input_error_of([&] { open(2); });  // label 2 with 2 classes
  EXPECT_THAT(msg, HasSubstr("label 2: value 2 out of range, expected 0..1"));
}

TEST(GzipFile, MissingFile) {
  std::string msg = input_error_of([] { read_maybe_gzip("/nonexistent/x.gz"); });
  EXPECT_THAT(msg, HasSubstr("/nonexistent/x.gz: cannot open"));
}

}  // namespace
}  // namespace h4h::data
