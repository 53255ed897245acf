#include <gtest/gtest.h>

#include "models/space/search_space.h"
#include "nas/train/checkpoint.h"
#include "nas/train/train_api.h"
#include "sim/core/error.h"
#include "tests/nas/train/checkpoint_checks.h"
#include "tests/nas/train/fixtures.h"

namespace h4h {

namespace {

nlohmann::json tiny_meta() { return test::checkpoint_meta(test::kTinySpaceYaml, 3); }

Supernet tiny_net(uint64_t seed) {
  torch::manual_seed(seed);
  return Supernet(parse_search_space(test::kTinySpaceYaml, "tiny.yaml"));
}

void expect_same_state(torch::nn::Module& a, torch::nn::Module& b) {
  const auto pa = a.named_parameters(), pb = b.named_parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (const auto& item : pa) EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key();
  const auto ba = a.named_buffers(), bb = b.named_buffers();
  for (const auto& item : ba) EXPECT_TRUE(torch::equal(item.value(), bb[item.key()])) << item.key();
}

}  // namespace

TEST(Checkpoint, RoundTripsWeightsOptimizerStateAndMeta) {
  test::TempDir dir;
  const std::string path = dir.file("a.ckpt");
  Supernet net = tiny_net(1);
  torch::optim::AdamW optimizer(net->parameters(), torch::optim::AdamWOptions(1e-2));
  net->set_largest_subnet();
  net->forward(torch::randn({2, 1, 12, 12})).sum().backward();
  optimizer.step();
  save_checkpoint(path, tiny_meta(), net, &optimizer);

  EXPECT_EQ(read_checkpoint_meta(path)["step"], 3);
  EXPECT_EQ(read_checkpoint_space(path).name, "tiny");
  Supernet other = tiny_net(2);
  torch::optim::AdamW other_optimizer(other->parameters(), torch::optim::AdamWOptions(1e-2));
  load_checkpoint_state(path, other, &other_optimizer);
  expect_same_state(*net, *other);
  // The optimizer continues identically: one more identical step keeps the weights equal.
  for (Supernet* n : {&net, &other}) {
    (*n)->zero_grad();
    (*n)->set_largest_subnet();
    (*n)->forward(torch::ones({2, 1, 12, 12})).sum().backward();
  }
  optimizer.step();
  other_optimizer.step();
  expect_same_state(*net, *other);
  EXPECT_EQ(dir.entries().size(), 1u) << "no temp file left behind";
}

TEST(Checkpoint, MissingCorruptTruncatedAndForeignFilesAreInputErrors) {
  test::TempDir dir;
  EXPECT_THROW(read_checkpoint_meta(dir.file("missing.ckpt")), InputError);

  test::write_file(dir.file("text.ckpt"), "this is not a checkpoint");
  EXPECT_THROW(read_checkpoint_meta(dir.file("text.ckpt")), InputError);

  Supernet net = tiny_net(1);
  save_checkpoint(dir.file("good.ckpt"), tiny_meta(), net, nullptr);
  const std::string good = test::read_file(dir.file("good.ckpt"));
  test::write_file(dir.file("cut.ckpt"), good.substr(0, good.size() / 2));
  EXPECT_THROW(read_checkpoint_meta(dir.file("cut.ckpt")), InputError);

  // A LibTorch archive that is not ours.
  torch::serialize::OutputArchive foreign;
  foreign.write("weights", torch::ones({3}));
  foreign.save_to(dir.file("foreign.ckpt"));
  try {
    read_checkpoint_meta(dir.file("foreign.ckpt"));
    FAIL() << "a foreign archive was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not an h4h supernet checkpoint"), std::string::npos) << e.what();
  }

  nlohmann::json other_version = tiny_meta();
  other_version["version"] = 99;
  save_checkpoint(dir.file("v99.ckpt"), other_version, net, nullptr);
  EXPECT_THROW(read_checkpoint_meta(dir.file("v99.ckpt")), InputError);
}

TEST(Checkpoint, AFlippedByteAnywhereInAnEntryIsAnInputErrorNamingTheEntry) {
  // LibTorch reads archives without checking CRC-32s; a flipped byte in data.pkl crashed its
  // unpickler (tests/fuzz/regressions/checkpoint/).
  test::TempDir dir;
  Supernet net = tiny_net(1);
  save_checkpoint(dir.file("good.ckpt"), tiny_meta(), net, nullptr);
  const std::string good = test::read_file(dir.file("good.ckpt"));
  for (const std::string entry : {"archive/data.pkl", "archive/data/0"}) {
    // Entries are stored uncompressed: the entry's bytes follow its name in the local header
    // (after the extra field, whose length comes right before the name).
    const size_t header = good.find(entry);
    ASSERT_NE(header, std::string::npos) << entry;
    const size_t extra = uint8_t(good[header - 2]) | size_t(uint8_t(good[header - 1])) << 8;
    std::string bad = good;
    bad[header + entry.size() + extra + 3] ^= 0x10;
    test::write_file(dir.file("bad.ckpt"), bad);
    try {
      read_checkpoint_meta(dir.file("bad.ckpt"));
      FAIL() << "a checkpoint with a flipped byte in " << entry << " was read";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("corrupt checkpoint: entry " + entry + ": CRC error"), std::string::npos) << what;
    }
  }
  EXPECT_NO_THROW(read_checkpoint_meta(dir.file("good.ckpt")));
}

TEST(Checkpoint, WeightsOfAnotherSpaceAreAnInputError) {
  test::TempDir dir;
  Supernet net = tiny_net(1);
  save_checkpoint(dir.file("tiny.ckpt"), tiny_meta(), net, nullptr);
  std::string wider = test::kTinySpaceYaml;
  wider.replace(wider.find("fc_widths: [32]"), 15, "fc_widths: [48]");
  Supernet other(parse_search_space(wider, "wider.yaml"));
  EXPECT_THROW(load_checkpoint_state(dir.file("tiny.ckpt"), other, nullptr), InputError);
}

TEST(Checkpoint, AFailedWriteLeavesThePreviousCheckpointIntact) {
  test::TempDir dir;
  Supernet net = tiny_net(1);
  const std::string path = dir.file("last.ckpt");
  save_checkpoint(path, tiny_meta(), net, nullptr);
  const std::string before = test::read_file(path);
  // The temp file cannot be created inside a directory that does not exist; the same holds for a
  // full disk: the target is only ever replaced by rename.
  EXPECT_THROW(save_checkpoint(dir.file("no-such-dir/last.ckpt"), tiny_meta(), net, nullptr), std::runtime_error);
  EXPECT_EQ(test::read_file(path), before);
}

}  // namespace h4h
