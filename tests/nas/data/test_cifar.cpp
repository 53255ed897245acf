// CIFAR-10 binary batches: synthetic files, layout conversion, directory discovery, error paths.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "nas/data/cifar10_dataset.h"
#include "tests/nas/data/fixtures.h"

namespace h4h::data {
namespace {

using test::input_error_of;
using ::testing::HasSubstr;

void write_cifar_dir(const std::string& dir, int per_batch) {
  for (int b = 1; b <= 5; ++b)
    test::write_bytes(dir + "/data_batch_" + std::to_string(b) + ".bin", test::cifar_records(per_batch, b));
  test::write_bytes(dir + "/test_batch.bin", test::cifar_records(per_batch + 1, 0));
}

TEST(Cifar10, ReadsRecordsAsHwc) {
  test::TempDir dir;
  write_cifar_dir(dir.path(), 4);
  auto train = open_cifar10_split(dir.path(), true);
  auto test = open_cifar10_split(dir.path(), false);
  EXPECT_EQ(train->size(), 20u);
  EXPECT_EQ(test->size(), 5u);
  EXPECT_EQ(train->shape(), (ImageShape{3, 32, 32}));
  EXPECT_EQ(train->class_names()[0], "airplane");
  // Sample 6 is record 2 of data_batch_2 (labels start at 2 there).
  Sample s = train->get(6);
  EXPECT_EQ(s.label, (2 + 2) % 10);
  EXPECT_EQ(train->label(6), s.label);
  ASSERT_EQ(s.image.pixels.size(), 3072u);
  for (int y : {0, 5, 31})
    for (int x : {0, 17, 31})
      for (int c = 0; c < 3; ++c) EXPECT_EQ(s.image.at(y, x, c), (2 * 5 + c * 50 + y * 32 + x) % 256) << y << x << c;
}

TEST(Cifar10, FindsTheTarballSubdirectory) {
  test::TempDir dir;
  std::filesystem::create_directory(dir.file("cifar-10-batches-bin"));
  write_cifar_dir(dir.file("cifar-10-batches-bin"), 2);
  EXPECT_EQ(open_cifar10_split(dir.path(), true)->size(), 10u);
}

TEST(Cifar10, MissingBatchIsNamed) {
  test::TempDir dir;
  write_cifar_dir(dir.path(), 2);
  std::filesystem::remove(dir.file("data_batch_4.bin"));
  std::string msg = input_error_of([&] { open_cifar10_split(dir.path(), true); });
  EXPECT_THAT(msg, HasSubstr(dir.file("data_batch_4.bin")));
  EXPECT_THAT(msg, HasSubstr("not found"));
  EXPECT_THAT(input_error_of([] { open_cifar10_split("/nonexistent/cifar", false); }),
              HasSubstr("/nonexistent/cifar: CIFAR-10 directory not found"));
}

TEST(Cifar10, TruncatedFile) {
  test::TempDir dir;
  write_cifar_dir(dir.path(), 3);
  test::truncate_file(dir.file("test_batch.bin"), 2 * 3073 + 100);
  std::string msg = input_error_of([&] { open_cifar10_split(dir.path(), false); });
  EXPECT_THAT(msg, HasSubstr(dir.file("test_batch.bin")));
  EXPECT_THAT(msg, HasSubstr("truncated: 6246 bytes is not a whole number of records"));
  EXPECT_THAT(msg, HasSubstr("3073"));
}

TEST(Cifar10, EmptyFileAndBadLabel) {
  test::TempDir dir;
  write_cifar_dir(dir.path(), 3);
  test::write_file(dir.file("data_batch_1.bin"), "");
  EXPECT_THAT(input_error_of([&] { open_cifar10_split(dir.path(), true); }), HasSubstr("empty file"));
  test::Bytes b = test::cifar_records(3);
  b[3073] = 10;  // record 1
  test::write_bytes(dir.file("data_batch_1.bin"), b);
  std::string msg = input_error_of([&] { open_cifar10_split(dir.path(), true); });
  EXPECT_THAT(msg, HasSubstr(dir.file("data_batch_1.bin") + ": record 1: label byte 10 out of range"));
}

}  // namespace
}  // namespace h4h::data
