// `h4h train` under faults: a full disk (or a failing fsync) while writing a checkpoint, and SIGKILL
// at seeded-random moments; either way a resumed run ends with the weights of an uninterrupted one.
#include <gtest/gtest.h>

#include <random>

#include <fmt/format.h>

#include "nas/train/checkpoint.h"
#include "nas/train/train_api.h"
#include "tests/nas/train/checkpoint_checks.h"
#include "tests/nas/train/fixtures.h"
#include "tests/support/fault_env.h"
#include "tests/support/build_paths.h"

namespace h4h {

namespace {

// 176 training images in batches of 8: 22 steps per epoch, 44 in all, a checkpoint every 4.
struct TrainSetup {
  test::TinySetup tiny;
  TrainSetup() {
    std::filesystem::remove_all(tiny.dir.file("data"));
    std::filesystem::create_directory(tiny.dir.file("data"));
    test::write_tiny_fashion(tiny.dir.file("data"), 192, 40);
  }
  std::vector<std::string> argv(const std::string& out, bool resume = false) const {
    std::vector<std::string> a{test::h4h_binary(), "train", "--space", tiny.space, "--data", tiny.data, "--out", out,
                               "--epochs", "2", "--batch-size", "8", "--val-count", "16", "--checkpoint-every", "4",
                               "--threads", "1", "--seed", "3"};
    if (resume) a.push_back("--resume");
    return a;
  }
};

using test::checkpoint_step;
using test::expect_same_weights;

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(TrainFaults, AFailedCheckpointWriteKeepsThePreviousOneAndAResumeEndsLikeAnUninterruptedRun) {
  const TrainSetup s;
  const std::string whole = s.tiny.dir.file("whole"), out = s.tiny.dir.file("faulted"), ckpt = out + "/last.ckpt";
  const test::RunResult uninterrupted = test::run_command(s.argv(whole), 300);
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.describe();

  // Room for the first checkpoint (step 4; the last one holds every optimizer moment, so it is at
  // least as large) and 4 KiB of the second.
  const auto room = std::filesystem::file_size(whole + "/last.ckpt") + 4096;
  test::RunResult full;
  {
    test::FaultEnv env(test::full_disk("*/faulted/last.ckpt.tmp*", (long long)room));
    full = test::run_command(s.argv(out), 300);
  }
  ASSERT_TRUE(full.exited()) << full.describe();
  EXPECT_EQ(full.exit_code, 1) << full.describe();
  EXPECT_TRUE(contains(full.err, "h4h-fault: ENOSPC")) << full.err;
  EXPECT_TRUE(contains(full.err, ckpt + ": write failed: No space left on device; the previous checkpoint, if any, is intact"))
      << full.err;
  EXPECT_EQ(test::temp_files_in(out), std::vector<std::string>{});
  ASSERT_EQ(checkpoint_step(ckpt), 4);
  const std::string previous = test::read_file(ckpt);

  // Resumed on a disk that takes nothing, then on one whose fsync fails: the step-4 file stays.
  const std::vector<std::vector<std::pair<std::string, std::string>>> faults{
      test::full_disk("*/faulted/last.ckpt.tmp*"), {{"H4H_FAULT_PATH", "*/faulted/last.ckpt.tmp*"}, {"H4H_FAULT_OP", "fsync"}}};
  for (const auto& fault : faults) {
    test::RunResult r;
    {
      test::FaultEnv env(fault);
      r = test::run_command(s.argv(out, true), 300);
    }
    ASSERT_TRUE(r.exited()) << r.describe();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_TRUE(contains(r.err, ckpt + ": write failed: ")) << r.err;
    EXPECT_EQ(test::read_file(ckpt), previous) << "a failed write changed the previous checkpoint";
    EXPECT_EQ(test::temp_files_in(out), std::vector<std::string>{});
  }

  const test::RunResult resumed = test::run_command(s.argv(out, true), 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_TRUE(contains(resumed.out, "resumed at step 4")) << resumed.out;
  expect_same_weights(whole + "/last.ckpt", ckpt);
}

// Three kills at seeded-random moments of one run: the first within 10 ms of the output directory
// appearing (training has begun, no checkpoint yet), the others once a randomly chosen checkpoint
// step is reached plus a random delay (mid-step or mid-write). Each is followed by --resume; the last resume runs to
// the end and must give the uninterrupted run's weights, bit for bit.
TEST(TrainFaults, KilledAtSeededRandomMomentsAndResumedEndsWithTheUninterruptedWeights) {
  const TrainSetup s;
  const std::string whole = s.tiny.dir.file("whole"), out = s.tiny.dir.file("killed"), ckpt = out + "/last.ckpt";
  const test::RunResult uninterrupted = test::run_command(s.argv(whole), 300);
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.describe();

  std::mt19937 rng(7);
  const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  struct Kill {
    int64_t at_step;  // kill once the checkpoint holds this step (0: once the output directory exists)
    double delay_s;
  };
  const std::vector<Kill> plan{{0, uniform(0, 0.01)}, {4 * pick(1, 3), uniform(0, 0.03)}, {4 * pick(6, 8), uniform(0, 0.03)}};
  std::vector<int64_t> left_at;
  for (const Kill& k : plan) {
    SCOPED_TRACE(fmt::format("kill at step {} + {:.3f} s", k.at_step, k.delay_s));
    const bool hit = test::run_and_kill(s.argv(out, true), [&] {
      return k.at_step == 0 ? std::filesystem::exists(out) : checkpoint_step(ckpt) >= k.at_step;
    },
                                        k.delay_s);
    EXPECT_TRUE(hit) << "the run ended before the kill";
    left_at.push_back(checkpoint_step(ckpt));
  }
  EXPECT_EQ(left_at[0], -1) << "the first kill came after the first checkpoint";
  EXPECT_GE(left_at[1], plan[1].at_step);
  EXPECT_GE(left_at[2], plan[2].at_step);
  EXPECT_LT(left_at[2], 44);

  const test::RunResult resumed = test::run_command(s.argv(out, true), 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_TRUE(contains(resumed.out, fmt::format("resumed at step {}", left_at[2]))) << resumed.out;
  EXPECT_EQ(checkpoint_step(ckpt), 44);
  EXPECT_EQ(test::temp_files_in(out), std::vector<std::string>{}) << "temp files of the killed runs survive";
  expect_same_weights(whole + "/last.ckpt", ckpt);
}

}  // namespace h4h
