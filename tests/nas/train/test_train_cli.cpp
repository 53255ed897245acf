// `h4h train` and `h4h eval` as users run them: SIGKILL and resume, JSON output, exit codes.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "nas/train/checkpoint.h"
#include "nas/train/train_api.h"
#include "tests/nas/train/checkpoint_checks.h"
#include "tests/nas/train/fixtures.h"
#include "tests/support/build_paths.h"

namespace h4h {

namespace {

std::vector<std::string> train_argv(const test::TinySetup& s, const std::string& out) {
  return {test::h4h_binary(), "train", "--space", s.space, "--data", s.data, "--out", out, "--epochs", "2", "--batch-size", "8",
          "--val-count", "16", "--checkpoint-every", "5", "--threads", "1", "--seed", "3"};  // one loader worker
}

using test::checkpoint_step;

}  // namespace

TEST(TrainCli, KilledWithSigkillMidEpochAndResumedEndsWithTheUninterruptedWeights) {
  test::TinySetup s;
  std::filesystem::remove_all(s.dir.file("data"));
  std::filesystem::create_directory(s.dir.file("data"));
  test::write_tiny_fashion(s.dir.file("data"), 480, 40);  // 58 steps per epoch
  const std::string killed = s.dir.file("killed"), whole = s.dir.file("whole");

  const pid_t pid = test::spawn_quiet(train_argv(s, killed));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int64_t step = -1;
  while ((step = checkpoint_step(killed + "/last.ckpt")) < 20 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the run ended before it could be killed (step " << step << ")";
  const int64_t at_kill = checkpoint_step(killed + "/last.ckpt");
  ASSERT_GE(at_kill, 20);
  ASSERT_LT(at_kill, 116);

  std::vector<std::string> resume = train_argv(s, killed);
  resume.push_back("--resume");
  const test::RunResult resumed = test::run_command(resume, 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_NE(resumed.out.find("resumed at step"), std::string::npos) << resumed.out;
  for (const std::string& name : test::TempDir::entries_of(killed))  // a kill mid-write leaves one
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << "a temp file of the killed run survives its resume: " << name;
  const test::RunResult uninterrupted = test::run_command(train_argv(s, whole), 300);
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.describe();

  test::expect_same_weights(whole + "/last.ckpt", killed + "/last.ckpt");  // after SIGKILL + resume

  // A finished run resumed again has nothing to do.
  const test::RunResult again = test::run_command(resume, 120);
  EXPECT_EQ(again.exit_code, 0) << again.describe();
}

TEST(TrainCli, EvalPrintsJsonAndBadInputExitsTwo) {
  test::TinySetup s;
  std::vector<std::string> argv = train_argv(s, s.out);
  argv.insert(argv.end(), {"--max-steps", "3"});
  const test::RunResult trained = test::run_command(argv, 120);
  ASSERT_EQ(trained.exit_code, 0) << trained.describe();
  const std::string ckpt = s.out + "/last.ckpt";
  EXPECT_TRUE(std::filesystem::exists(s.out + "/metrics.csv"));

  const test::RunResult eval = test::run_command(
      {test::h4h_binary(), "eval", "--checkpoint", ckpt, "--arch", "random:2", "--bn-batches", "1", "--batch-size", "16",
       "--threads", "1", "--hw", test::source_dir() + "/hwconfigs/h4h-default.yaml", "--json"},
      120);
  ASSERT_EQ(eval.exit_code, 0) << eval.describe();
  const nlohmann::json doc = nlohmann::json::parse(eval.out);
  ASSERT_EQ(doc["results"].size(), 2u);
  for (const nlohmann::json& r : doc["results"]) {
    for (const char* key : {"arch", "top1", "macs", "params", "latency_ms", "energy_pj"})
      EXPECT_TRUE(r.contains(key)) << key << " missing in " << r.dump();
    EXPECT_GT(r["latency_ms"].get<double>(), 0);
  }

  // Training again into a directory holding a checkpoint, without --resume: refused, nothing replaced.
  const std::string before = test::read_file(ckpt);
  const test::RunResult refused = test::run_command(argv, 60);
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_NE(refused.err.find("--resume"), std::string::npos) << refused.err;
  EXPECT_EQ(test::read_file(ckpt), before);

  const std::string corrupt = s.dir.file("corrupt.ckpt");
  test::write_file(corrupt, before.substr(0, before.size() / 3));
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {test::h4h_binary(), "eval", "--checkpoint", corrupt},
           {test::h4h_binary(), "eval", "--checkpoint", s.space},
           {test::h4h_binary(), "eval", "--checkpoint", ckpt, "--arch", s.dir.file("missing.json")},
           {test::h4h_binary(), "eval", "--checkpoint", ckpt, "--split", "train"},
           {test::h4h_binary(), "train", "--space", s.space, "--data", "fashion-mnist:" + s.dir.file("none"), "--out",
            s.dir.file("x")},
           {test::h4h_binary(), "train", "--space", s.dir.file("none.yaml"), "--out", s.dir.file("x")}}) {
    const test::RunResult r = test::run_command(bad, 60);
    EXPECT_EQ(r.exit_code, 2) << bad[1] << " " << bad[3] << ": " << r.describe();
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_FALSE(std::filesystem::exists(s.dir.file("x")));

  std::vector<std::string> negative_blas = train_argv(s, s.dir.file("y"));
  negative_blas.insert(negative_blas.end(), {"--blas-threads", "-1"});
  const test::RunResult r = test::run_command(negative_blas, 60);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("--blas-threads"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(s.dir.file("y")));
}

}  // namespace h4h
