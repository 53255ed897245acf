// JPEG/PNG decoding and ImageFolder trees: fixtures written with libjpeg-turbo and libpng.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "nas/data/image_decode.h"
#include "nas/data/image_folder_dataset.h"
#include "tests/nas/data/fixtures.h"

namespace h4h::data {
namespace {

namespace fs = std::filesystem;
using test::input_error_of;
using ::testing::HasSubstr;

double mean_abs_diff(const Image& a, const Image& b) {
  EXPECT_EQ(a.pixels.size(), b.pixels.size());
  double sum = 0;
  for (size_t i = 0; i < a.pixels.size() && i < b.pixels.size(); ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
  return sum / static_cast<double>(a.pixels.size());
}

TEST(ImageDecode, PngIsLossless) {
  test::TempDir dir;
  Image card = test::test_card(37, 23, 99);
  test::write_png(dir.file("a.png"), card);
  Image got = read_image_file(dir.file("a.png"), 3);
  EXPECT_EQ(got.width, 37);
  EXPECT_EQ(got.height, 23);
  EXPECT_EQ(got.pixels, card.pixels);
}

TEST(ImageDecode, JpegIsClose) {
  test::TempDir dir;
  Image card = test::test_card(40, 30, 60);
  test::write_jpeg(dir.file("a.jpg"), card, 95);
  Image got = read_image_file(dir.file("a.jpg"), 3);
  ASSERT_EQ(got.width, 40);
  ASSERT_EQ(got.height, 30);
  EXPECT_LT(mean_abs_diff(got, card), 3.0);
}

TEST(ImageDecode, GreyBecomesRgbAndRgbBecomesGrey) {
  test::TempDir dir;
  Image grey;
  grey.width = 8;
  grey.height = 4;
  grey.channels = 1;
  for (int i = 0; i < 32; ++i) grey.pixels.push_back(static_cast<uint8_t>(i * 8));
  test::write_png(dir.file("g.png"), grey);
  Image rgb = read_image_file(dir.file("g.png"), 3);
  ASSERT_EQ(rgb.channels, 3);
  for (int i = 0; i < 32; ++i)
    for (int c = 0; c < 3; ++c) EXPECT_EQ(rgb.pixels[3 * i + c], grey.pixels[i]);
  test::write_jpeg(dir.file("g.jpg"), grey, 100);
  Image rgb2 = read_image_file(dir.file("g.jpg"), 3);
  EXPECT_EQ(rgb2.channels, 3);
  EXPECT_EQ(rgb2.pixels[3 * 5], rgb2.pixels[3 * 5 + 2]);
  Image back = read_image_file(dir.file("g.png"), 1);
  EXPECT_EQ(back.pixels, grey.pixels);
}

TEST(ImageDecode, AlphaIsDroppedNotComposited) {
  test::TempDir dir;
  Image rgba;
  rgba.width = 2;
  rgba.height = 1;
  rgba.channels = 4;
  rgba.pixels = {200, 100, 50, 0, 10, 20, 30, 255};  // a fully transparent pixel keeps its colour
  test::write_png(dir.file("a.png"), rgba);
  Image got = read_image_file(dir.file("a.png"), 3);
  EXPECT_EQ(got.pixels, (std::vector<uint8_t>{200, 100, 50, 10, 20, 30}));
}

TEST(ImageDecode, JpegDctScalingKeepsTheShortSide) {
  test::TempDir dir;
  test::write_jpeg(dir.file("a.jpg"), test::test_card(64, 48, 1));
  Image q = read_image_file(dir.file("a.jpg"), 3, 12);
  EXPECT_EQ(q.width, 16);
  EXPECT_EQ(q.height, 12);
  Image h = read_image_file(dir.file("a.jpg"), 3, 13);
  EXPECT_EQ(h.width, 32);
  EXPECT_EQ(h.height, 24);
  Image full = read_image_file(dir.file("a.jpg"), 3, 40);
  EXPECT_EQ(full.width, 64);
}

TEST(ImageDecode, Errors) {
  test::TempDir dir;
  test::write_jpeg(dir.file("t.jpg"), test::test_card(64, 64, 7));
  std::string jpeg = test::read_file(dir.file("t.jpg"));

  test::write_file(dir.file("trunc.jpg"), jpeg.substr(0, jpeg.size() / 2));
  std::string msg = input_error_of([&] { read_image_file(dir.file("trunc.jpg"), 3); });
  EXPECT_THAT(msg, HasSubstr(dir.file("trunc.jpg")));
  EXPECT_THAT(msg, HasSubstr("truncated JPEG"));

  test::write_file(dir.file("garbage.jpg"), "\xFF\xD8\xFF" + std::string(200, '\x42'));
  msg = input_error_of([&] { read_image_file(dir.file("garbage.jpg"), 3); });
  EXPECT_THAT(msg, HasSubstr(dir.file("garbage.jpg") + ": undecodable JPEG"));

  test::write_file(dir.file("text.jpg"), "this is not an image");
  EXPECT_THAT(input_error_of([&] { read_image_file(dir.file("text.jpg"), 3); }),
              HasSubstr("text.jpg: not a JPEG or PNG image"));
  test::write_file(dir.file("empty.png"), "");
  EXPECT_THAT(input_error_of([&] { read_image_file(dir.file("empty.png"), 3); }), HasSubstr("empty file"));

  test::write_png(dir.file("t.png"), test::test_card(64, 64, 7));
  std::string png = test::read_file(dir.file("t.png"));
  test::write_file(dir.file("trunc.png"), png.substr(0, png.size() / 2));
  msg = input_error_of([&] { read_image_file(dir.file("trunc.png"), 3); });
  EXPECT_THAT(msg, HasSubstr(dir.file("trunc.png") + ": undecodable PNG"));

  EXPECT_THAT(input_error_of([&] { read_image_file(dir.file("missing.png"), 3); }), HasSubstr("cannot open"));
}

TEST(ImageDecode, RefusesAbsurdSizes) {
  // A valid PNG header claiming 100000 x 100000 pixels.
  test::TempDir dir;
  Image tiny = test::test_card(1, 1, 0);
  test::write_png(dir.file("a.png"), tiny);
  std::string png = test::read_file(dir.file("a.png"));
  // IHDR width/height at bytes 16..23; the CRC will not match, so either check may fire.
  for (int k : {16, 20}) {
    png[k] = 0;
    png[k + 1] = 0x01;
    png[k + 2] = static_cast<char>(0x86);
    png[k + 3] = static_cast<char>(0xA0);
  }
  test::write_file(dir.file("big.png"), png);
  EXPECT_THAT(input_error_of([&] { read_image_file(dir.file("big.png"), 3); }), HasSubstr("big.png"));
}

class Tree : public ::testing::Test {
 protected:
  test::TempDir dir;
  std::string root = dir.file("root");
  void SetUp() override {
    for (const char* c : {"zebra", "apple", "mango"}) fs::create_directories(root + "/" + c);
    test::write_png(root + "/zebra/b.png", test::test_card(10, 12, 1));
    test::write_jpeg(root + "/zebra/a.JPG", test::test_card(16, 8, 2));
    test::write_png(root + "/apple/x.png", test::test_card(5, 5, 3));
    test::write_jpeg(root + "/mango/m.jpeg", test::test_card(9, 7, 4));
    test::write_file(root + "/mango/notes.txt", "ignored");
    fs::create_directories(root + "/mango/nested");
    test::write_png(root + "/mango/nested/deep.png", test::test_card(3, 3, 5));  // not searched
  }
};

TEST_F(Tree, ClassesAndFilesSorted) {
  ImageFolderDataset d(root);
  EXPECT_EQ(d.class_names(), (std::vector<std::string>{"apple", "mango", "zebra"}));
  ASSERT_EQ(d.size(), 4u);
  EXPECT_EQ(d.shape(), (ImageShape{3, 0, 0}));
  EXPECT_EQ(d.path(0), root + "/apple/x.png");
  EXPECT_EQ(d.path(1), root + "/mango/m.jpeg");
  EXPECT_EQ(d.path(2), root + "/zebra/a.JPG");
  EXPECT_EQ(d.path(3), root + "/zebra/b.png");
  EXPECT_EQ((std::vector<int64_t>{d.label(0), d.label(1), d.label(2), d.label(3)}), (std::vector<int64_t>{0, 1, 2, 2}));
  Sample s = d.get(3);
  EXPECT_EQ(s.label, 2);
  EXPECT_EQ(s.image.pixels, test::test_card(10, 12, 1).pixels);
  Sample j = d.get(2);
  EXPECT_EQ(j.image.width, 16);
  EXPECT_EQ(j.image.height, 8);
}

TEST_F(Tree, UndecodableImageFailsOnGetNamingTheFile) {
  test::write_file(root + "/apple/y.jpg", "\xFF\xD8\xFF\xE0 broken");
  ImageFolderDataset d(root);
  ASSERT_EQ(d.path(1), root + "/apple/y.jpg");
  std::string msg = input_error_of([&] { d.get(1); });
  EXPECT_THAT(msg, HasSubstr(root + "/apple/y.jpg"));
  EXPECT_THAT(msg, HasSubstr("JPEG"));
}

TEST_F(Tree, EmptyClassAndEmptyTree) {
  fs::create_directories(root + "/empty_class");
  test::write_file(root + "/empty_class/readme.md", "no images");
  std::string msg = input_error_of([&] { ImageFolderDataset d(root); });
  EXPECT_THAT(msg, HasSubstr(root + "/empty_class: class directory holds no .jpg, .jpeg or .png image"));
  fs::create_directories(dir.file("bare"));
  EXPECT_THAT(input_error_of([&] { ImageFolderDataset d(dir.file("bare")); }), HasSubstr("empty ImageFolder"));
  EXPECT_THAT(input_error_of([&] { ImageFolderDataset d(dir.file("missing")); }), HasSubstr("directory not found"));
}

}  // namespace
}  // namespace h4h::data
