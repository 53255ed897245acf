// The batch loader: epochs are permutations, batches are deterministic (any worker count), a restored
// state continues with the same batches, shards are disjoint, errors surface in next().
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "nas/data/batch_loader.h"
#include "sim/core/error.h"

namespace h4h::data {
namespace {

// n grey 6 x 5 images; pixel (y, x) of image i is (i + y * 5 + x) % 256, label i % 4. Image `bad`
// (if any) throws InputError, as an undecodable file would.
class Numbers : public Dataset {
 public:
  explicit Numbers(size_t n, size_t bad = SIZE_MAX) : n_(n), bad_(bad) {}
  size_t size() const override { return n_; }
  int num_classes() const override { return 4; }
  ImageShape shape() const override { return {1, 6, 5}; }
  int64_t label(size_t i) const override { return static_cast<int64_t>(i % 4); }
  Sample get(size_t i) const override {
    check_index(*this, i);
    if (i == bad_) throw InputError("numbers/" + std::to_string(i) + ": broken");
    Sample s;
    s.label = label(i);
    s.image.height = 6;
    s.image.width = 5;
    s.image.channels = 1;
    for (int p = 0; p < 30; ++p) s.image.pixels.push_back(static_cast<uint8_t>((i + p) % 256));
    return s;
  }
  std::vector<std::string> class_names() const override { return {"a", "b", "c", "d"}; }
  std::string source() const override { return "numbers"; }

 private:
  size_t n_, bad_;
};

Transform augment() {
  TransformOptions o;
  o.size = 8;
  o.crop_padding = 2;
  o.hflip = true;
  o.norm = {{0.5f}, {0.25f}};
  return Transform(o);
}

std::vector<Batch> epoch(BatchLoader& l) {
  std::vector<Batch> out;
  Batch b;
  while (l.next(b)) out.push_back(b);
  return out;
}

void expect_same(const Batch& a, const Batch& b) {
  EXPECT_EQ(a.indices, b.indices);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_EQ(a.images, b.images);
  EXPECT_EQ(a.epoch, b.epoch);
  EXPECT_EQ(a.position, b.position);
}

TEST(Loader, EpochIsAPermutationWithAShortLastBatch) {
  auto data = std::make_shared<Numbers>(103);
  LoaderOptions o;
  o.batch_size = 10;
  o.seed = 5;
  BatchLoader l(data, augment(), o);
  EXPECT_EQ(l.batches_per_epoch(), 11);
  std::vector<Batch> e0 = epoch(l);
  ASSERT_EQ(e0.size(), 11u);
  EXPECT_EQ(e0.back().n, 3);
  std::multiset<int64_t> seen;
  for (const Batch& b : e0) {
    EXPECT_EQ(b.epoch, 0);
    EXPECT_EQ(b.images.size(), static_cast<size_t>(b.n) * 8 * 8);
    for (int64_t i = 0; i < b.n; ++i) {
      seen.insert(b.indices[i]);
      EXPECT_EQ(b.labels[i], b.indices[i] % 4);
    }
  }
  EXPECT_EQ(seen.size(), 103u);
  EXPECT_EQ(std::set<int64_t>(seen.begin(), seen.end()).size(), 103u);
  EXPECT_EQ(l.state().epoch, 1);
  EXPECT_EQ(l.state().position, 0);
  std::vector<Batch> e1 = epoch(l);
  EXPECT_EQ(e1[0].epoch, 1);
  EXPECT_NE(e0[0].indices, e1[0].indices);  // reshuffled
}

TEST(Loader, DropLastAndNoShuffle) {
  auto data = std::make_shared<Numbers>(103);
  LoaderOptions o;
  o.batch_size = 10;
  o.drop_last = true;
  o.shuffle = false;
  BatchLoader l(data, augment(), o);
  std::vector<Batch> e = epoch(l);
  ASSERT_EQ(e.size(), 10u);
  for (size_t k = 0; k < e.size(); ++k)
    for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(e[k].indices[i], static_cast<int64_t>(k * 10 + i));
}

TEST(Loader, SameSeedSameBatchesWhateverTheWorkers) {
  auto data = std::make_shared<Numbers>(250);
  LoaderOptions o;
  o.batch_size = 16;
  o.seed = 77;
  BatchLoader sync(data, augment(), o);
  o.workers = 3;
  o.prefetch = 2;
  BatchLoader threaded(data, augment(), o);
  for (int ep = 0; ep < 2; ++ep) {
    std::vector<Batch> a = epoch(sync), b = epoch(threaded);
    ASSERT_EQ(a.size(), b.size());
    for (size_t k = 0; k < a.size(); ++k) expect_same(a[k], b[k]);
  }
  o.seed = 78;
  o.workers = 0;
  BatchLoader other(data, augment(), o);
  Batch x, y;
  ASSERT_TRUE(other.next(x));
  BatchLoader again(data, augment(), LoaderOptions{16, true, false, 77});
  ASSERT_TRUE(again.next(y));
  EXPECT_NE(x.indices, y.indices);
}

TEST(Loader, AugmentationDependsOnTheSampleNotTheBatch) {
  // Batch size does not change a sample's pixels: its stream is keyed by its position in the epoch.
  auto data = std::make_shared<Numbers>(60);
  LoaderOptions o;
  o.seed = 3;
  o.batch_size = 7;
  BatchLoader a(data, augment(), o);
  o.batch_size = 60;
  BatchLoader b(data, augment(), o);
  std::vector<Batch> small = epoch(a), whole = epoch(b);
  std::vector<float> joined;
  for (const Batch& s : small) joined.insert(joined.end(), s.images.begin(), s.images.end());
  EXPECT_EQ(joined, whole[0].images);
}

TEST(Loader, ResumeGivesTheSameFollowingBatches) {
  auto data = std::make_shared<Numbers>(95);
  LoaderOptions o;
  o.batch_size = 8;
  o.seed = 2024;
  o.workers = 2;
  BatchLoader reference(data, augment(), o);
  std::vector<Batch> ref;
  for (int ep = 0; ep < 3; ++ep)
    for (Batch& b : epoch(reference)) ref.push_back(std::move(b));
  // Interrupted after 1 epoch + 5 batches (12 batches per epoch).
  BatchLoader first(data, augment(), o);
  epoch(first);
  Batch b;
  for (int k = 0; k < 5; ++k) ASSERT_TRUE(first.next(b));
  const std::string saved = first.state().dump();
  EXPECT_EQ(nlohmann::json::parse(saved)["position"], 40);
  // A new process: other seed in its options, restored state wins.
  o.seed = 1;
  o.workers = 0;
  BatchLoader resumed(data, augment(), o);
  resumed.restore(LoaderState::parse(saved, "ckpt"));
  std::vector<Batch> rest;
  for (int ep = 0; ep < 2; ++ep)
    for (Batch& x : epoch(resumed)) rest.push_back(std::move(x));
  ASSERT_EQ(rest.size(), ref.size() - 12 - 5);
  for (size_t k = 0; k < rest.size(); ++k) expect_same(rest[k], ref[12 + 5 + k]);
}

TEST(Loader, RestoreAtTheEndOfAnEpochMovesOn) {
  auto data = std::make_shared<Numbers>(20);
  LoaderOptions o;
  o.batch_size = 10;
  BatchLoader l(data, augment(), o);
  Batch b;
  ASSERT_TRUE(l.next(b));
  ASSERT_TRUE(l.next(b));
  LoaderState s = l.state();
  EXPECT_EQ(s.position, 20);
  BatchLoader m(data, augment(), o);
  m.restore(s);
  EXPECT_FALSE(m.next(b));
  EXPECT_EQ(m.state().epoch, 1);
  ASSERT_TRUE(m.next(b));
  EXPECT_EQ(b.epoch, 1);
}

TEST(Loader, RestoreRejectsOtherData) {
  auto data = std::make_shared<Numbers>(50);
  BatchLoader l(data, augment(), LoaderOptions{});
  LoaderState s = l.state();
  s.samples_per_epoch = 49;
  EXPECT_THROW(l.restore(s), InputError);
  s = l.state();
  s.position = 51;
  EXPECT_THROW(l.restore(s), InputError);
  s = l.state();
  s.num_shards = 2;
  EXPECT_THROW(l.restore(s), InputError);
}

TEST(Loader, StateJsonRoundTripAndErrors) {
  LoaderState s;
  s.seed = 0xFFFFFFFFFFFFFFFFull;
  s.epoch = 3;
  s.position = 128;
  s.samples_per_epoch = 55000;
  s.shard = 1;
  s.num_shards = 2;
  EXPECT_EQ(LoaderState::parse(s.dump(), "x"), s);
  EXPECT_THROW(LoaderState::parse("{", "x"), InputError);
  EXPECT_THROW(LoaderState::parse("[]", "x"), InputError);
  nlohmann::json j = s.to_json();
  j.erase("epoch");
  try {
    LoaderState::from_json(j, "ckpt.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("ckpt.json: epoch: missing"));
  }
  j = s.to_json();
  j["position"] = -1;
  EXPECT_THROW(LoaderState::from_json(j, "x"), InputError);
  j = s.to_json();
  j["version"] = 2;
  EXPECT_THROW(LoaderState::from_json(j, "x"), InputError);
}

TEST(Loader, ShardsAreDisjointAndEqual) {
  auto data = std::make_shared<Numbers>(101);
  std::set<int64_t> all;
  size_t total = 0;
  for (int r = 0; r < 3; ++r) {
    LoaderOptions o;
    o.batch_size = 9;
    o.seed = 4;
    o.shard = r;
    o.num_shards = 3;
    BatchLoader l(data, augment(), o);
    EXPECT_EQ(l.samples_per_epoch(), 33);
    for (const Batch& b : epoch(l)) {
      total += static_cast<size_t>(b.n);
      all.insert(b.indices.begin(), b.indices.end());
    }
  }
  EXPECT_EQ(total, 99u);
  EXPECT_EQ(all.size(), 99u);
}

TEST(Loader, ChannelsLastLayout) {
  auto data = std::make_shared<Numbers>(10);
  LoaderOptions o;
  o.batch_size = 4;
  o.layout = Layout::NHWC;
  BatchLoader l(data, augment(), o);
  Batch b;
  ASSERT_TRUE(l.next(b));
  EXPECT_EQ(b.shape(), (std::vector<int64_t>{4, 1, 8, 8}));
  EXPECT_EQ(b.strides(), (std::vector<int64_t>{64, 1, 8, 1}));
  o.layout = Layout::NCHW;
  BatchLoader m(data, augment(), o);
  Batch c;
  ASSERT_TRUE(m.next(c));
  EXPECT_EQ(c.strides(), (std::vector<int64_t>{64, 64, 8, 1}));
  EXPECT_EQ(b.images, c.images);  // one channel: the two layouts coincide
}

TEST(Loader, ErrorsSurfaceInNext) {
  for (int workers : {0, 2}) {
    auto data = std::make_shared<Numbers>(30, 17);
    LoaderOptions o;
    o.batch_size = 30;
    o.workers = workers;
    BatchLoader l(data, augment(), o);
    Batch b;
    try {
      l.next(b);
      FAIL() << "no error";
    } catch (const InputError& e) {
      EXPECT_THAT(e.what(), ::testing::HasSubstr("numbers/17: broken"));
    }
  }
}

TEST(Loader, BadOptions) {
  auto data = std::make_shared<Numbers>(3);
  auto make = [&](auto edit) {
    LoaderOptions o;
    edit(o);
    BatchLoader l(data, augment(), o);
  };
  EXPECT_THROW(make([](LoaderOptions& o) { o.batch_size = 0; }), std::invalid_argument);
  EXPECT_THROW(make([](LoaderOptions& o) { o.workers = -1; }), std::invalid_argument);
  EXPECT_THROW(make([](LoaderOptions& o) { o.shard = 2, o.num_shards = 2; }), std::invalid_argument);
  EXPECT_THROW(make([](LoaderOptions& o) { o.num_shards = 4; }), InputError);  // 3 samples for 4 shards
}

}  // namespace
}  // namespace h4h::data
