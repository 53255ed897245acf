// Robustness: damaged files (random bytes overwritten, random truncations) either still read or throw
// h4h::InputError — never another exception, never a crash (run under ASan/UBSan to check memory).
#include <gtest/gtest.h>

#include "nas/data/cifar10_dataset.h"
#include "nas/data/idx_dataset.h"
#include "nas/data/image_decode.h"
#include "nas/data/random.h"
#include "tests/nas/data/fixtures.h"

namespace h4h::data {
namespace {

// Applies `mutations` random damages to `original` and calls `read` on each result; counts the outcomes.
template <class Read>
void damage_and_read(const std::string& original, const std::string& path, int mutations, uint64_t seed, Read read) {
  SplitMix64 rng(seed);
  int ok = 0, input_errors = 0;
  for (int m = 0; m < mutations; ++m) {
    std::string s = original;
    if (m % 3 == 0) {
      s.resize(uniform_below(rng, s.size()));
    } else {
      for (int k = 0, n = 1 + static_cast<int>(uniform_below(rng, 8)); k < n; ++k)
        s[uniform_below(rng, s.size())] = static_cast<char>(uniform_below(rng, 256));
    }
    test::write_file(path, s);
    try {
      read();
      ++ok;
    } catch (const InputError&) {
      ++input_errors;
    }
  }
  EXPECT_GT(input_errors, 0);
  EXPECT_EQ(ok + input_errors, mutations);
}

TEST(Corruption, IdxGzip) {
  test::TempDir dir;
  const std::string images = dir.file("i.gz"), labels = dir.file("l.gz");
  test::write_gz(images, test::idx_images(30, 9, 9));
  test::write_gz(labels, test::idx_labels(30, 10));
  const std::string original = test::read_file(images);
  damage_and_read(original, images, 300, 1, [&] { IdxDataset(images, labels, mnist_class_names()); });
  test::write_file(images, original);
  const std::string lab = test::read_file(labels);
  damage_and_read(lab, labels, 300, 2, [&] { IdxDataset(images, labels, mnist_class_names()); });
}

TEST(Corruption, Cifar) {
  test::TempDir dir;
  const std::string path = dir.file("test_batch.bin");
  test::write_bytes(path, test::cifar_records(4));
  damage_and_read(test::read_file(path), path, 200, 3, [&] { Cifar10Dataset({path}); });
}

TEST(Corruption, JpegAndPng) {
  test::TempDir dir;
  const std::string jpg = dir.file("a.jpg"), png = dir.file("a.png");
  test::write_jpeg(jpg, test::test_card(48, 40, 5), 80);
  test::write_png(png, test::test_card(48, 40, 5));
  for (int channels : {1, 3}) {
    damage_and_read(test::read_file(jpg), dir.file("d.jpg"), 300, 4 + channels,
                    [&] { read_image_file(dir.file("d.jpg"), channels, channels == 3 ? 10 : 0); });
    damage_and_read(test::read_file(png), dir.file("d.png"), 300, 6 + channels,
                    [&] { read_image_file(dir.file("d.png"), channels); });
  }
}

}  // namespace
}  // namespace h4h::data
