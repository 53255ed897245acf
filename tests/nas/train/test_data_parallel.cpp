// Data-parallel training under mpirun: two ranks with batch B end with the weights of one process
// with batch 2B (same seed), and a run cannot be resumed by another number of ranks.
#include <gtest/gtest.h>

#include <iostream>

#include "nas/train/checkpoint.h"
#include "nas/train/train_api.h"
#include "tests/nas/train/fixtures.h"
#include "tests/support/build_paths.h"

namespace h4h {

namespace {

std::vector<std::string> train_argv(const test::TinySetup& s, const std::string& out, int batch, int ranks) {
  std::vector<std::string> argv;
  if (ranks > 1)
    argv = {test::mpiexec(), "--allow-run-as-root", "--oversubscribe", "-n", std::to_string(ranks)};
  argv.insert(argv.end(), {test::h4h_binary(), "train", "--space", s.space, "--data", s.data, "--out", out, "--epochs", "2",
                           "--batch-size", std::to_string(batch), "--max-steps", "8", "--val-count", "16",
                           "--threads", "1", "--seed", "5", "--optimizer", "sgd"});
  return argv;
}

double max_difference(const torch::OrderedDict<std::string, torch::Tensor>& a,
                      const torch::OrderedDict<std::string, torch::Tensor>& b, std::string& where) {
  double worst = 0;
  for (const auto& item : a) {
    const torch::Tensor x = item.value().to(torch::kDouble), y = b[item.key()].to(torch::kDouble);
    const double d = x.numel() ? (x - y).abs().max().item<double>() : 0.0;
    if (d > worst) {
      worst = d;
      where = item.key();
    }
  }
  return worst;
}

}  // namespace

TEST(DataParallel, TwoRanksEndWithTheWeightsOfOneProcessWithTwiceTheBatch) {
  test::TinySetup s;
  const std::string one = s.dir.file("one"), two = s.dir.file("two");
  const test::RunResult single = test::run_command(train_argv(s, one, 16, 1), 180);
  ASSERT_EQ(single.exit_code, 0) << single.describe();
  const test::RunResult parallel = test::run_command(train_argv(s, two, 8, 2), 180);
  ASSERT_EQ(parallel.exit_code, 0) << parallel.describe();
  EXPECT_EQ(read_checkpoint_meta(two + "/last.ckpt")["ranks"], 2);

  Supernet a(read_checkpoint_space(one + "/last.ckpt")), b(read_checkpoint_space(two + "/last.ckpt"));
  load_checkpoint_state(one + "/last.ckpt", a, nullptr);
  load_checkpoint_state(two + "/last.ckpt", b, nullptr);
  std::string where;
  const double weights = max_difference(a->named_parameters(), b->named_parameters(), where);
  std::cout << "largest weight difference " << weights << " (" << where << ")\n";
  EXPECT_LE(weights, 1e-5) << "largest difference in " << where;
  const double buffers = max_difference(a->named_buffers(), b->named_buffers(), where);
  EXPECT_LE(buffers, 1e-4) << "largest difference in " << where;

  // Rank 0 alone reports: one summary, not two.
  const std::string summary = "checkpoint: ";
  const size_t first = parallel.out.find(summary);
  ASSERT_NE(first, std::string::npos) << parallel.out;
  EXPECT_EQ(parallel.out.find(summary, first + 1), std::string::npos) << parallel.out;

  // The run continues only with as many ranks as it was trained by.
  std::vector<std::string> resume = train_argv(s, two, 8, 1);
  resume.push_back("--resume");
  const test::RunResult refused = test::run_command(resume, 120);
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_NE(refused.err.find("mpirun -n"), std::string::npos) << refused.err;
}

}  // namespace h4h
