// `h4h search` as users run it, on a tiny supernet trained in the fixture: byte-identical results for
// one seed, SIGKILL and resume, the outputs it promises, and exit 2 on bad input.
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "tests/nas/train/fixtures.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

using nlohmann::json;

std::vector<std::string> search_args(const std::string& out, std::vector<std::string> extra = {},
                                     const std::string& seed = "4", const std::string& generations = "3") {
  std::vector<std::string> a{"search", "--checkpoint", test::trained_tiny().checkpoint, "--hw",
                             test::source_dir() + "/hwconfigs/h4h-default.yaml", "--out", out,
                             "--population", "6", "--generations", generations, "--finalists", "2", "--bn-batches", "1",
                             "--batch-size", "16", "--threads", "1", "--seed", seed};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// Every test needs a checkpoint from `h4h train`.
class SearchCli : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!H4H_HAVE_TORCH) GTEST_SKIP() << "h4h built without LibTorch (H4H_WITH_TORCH=OFF): no `h4h train`";
  }
};

TEST_F(SearchCli, SameSeedGivesAByteIdenticalParetoJsonAndEveryPromisedOutput) {
  test::TempDir dir;
  const auto a = test::run_h4h(search_args(dir.file("a")), 300);
  ASSERT_EQ(a.exit_code, 0) << a.describe();
  const auto b = test::run_h4h(search_args(dir.file("b")), 300);
  ASSERT_EQ(b.exit_code, 0) << b.describe();
  const std::string pareto = test::read_file(dir.file("a/pareto.json"));
  EXPECT_EQ(pareto, test::read_file(dir.file("b/pareto.json")));

  const json doc = json::parse(pareto);
  ASSERT_EQ(doc["finalists"].size(), 2u);
  for (const json& f : doc["finalists"]) {
    for (const char* key : {"arch", "mapping", "hw", "accuracy", "estimated", "simulated"})
      EXPECT_TRUE(f.contains(key)) << key;
    EXPECT_GT(f["simulated"]["latency_ms"].get<double>(), 0);
    EXPECT_GT(f["estimated"]["energy_pj"].get<double>(), 0);
    const std::string d = dir.file("a/" + f["dir"].get<std::string>());
    for (const char* file :
         {"arch.json", "hw.json", "workload.json", "mapping.json", "report.json", "layers.csv", "trace.json", "subnet.pt"})
      EXPECT_TRUE(std::filesystem::exists(d + "/" + file)) << d << "/" << file;
  }
  for (const char* file : {"pareto.csv", "history.csv", "search_state.json"})
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("a/") + file))) << file;
  EXPECT_NE(a.out.find("generation 3/3"), std::string::npos) << a.out;
}

TEST_F(SearchCli, TwoRanksUnderMpirunGiveTheParetoJsonOfOneProcess) {
  test::TempDir dir;
  const auto one = test::run_h4h(search_args(dir.file("one")), 300);
  ASSERT_EQ(one.exit_code, 0) << one.describe();
  std::vector<std::string> argv{test::mpiexec(), "--allow-run-as-root", "--oversubscribe", "-n", "2", test::h4h_binary()};
  for (const std::string& a : search_args(dir.file("two"))) argv.push_back(a);
  const auto two = test::run_command(argv, 300);
  ASSERT_EQ(two.exit_code, 0) << two.describe();
  EXPECT_EQ(test::read_file(dir.file("one/pareto.json")), test::read_file(dir.file("two/pareto.json")));
  EXPECT_EQ(test::read_file(dir.file("one/history.csv")), test::read_file(dir.file("two/history.csv")));
  // Rank 0 alone reports.
  const size_t first = two.out.find("generation 3/3");
  ASSERT_NE(first, std::string::npos) << two.out;
  EXPECT_EQ(two.out.find("generation 3/3", first + 1), std::string::npos) << two.out;
}

TEST_F(SearchCli, KilledAndResumedReachesTheSameFront) {
  test::TempDir dir;
  const auto whole = test::run_h4h(search_args(dir.file("whole")), 300);
  ASSERT_EQ(whole.exit_code, 0) << whole.describe();

  // Kill a run as soon as its first generation is saved, then run it again.
  const std::string killed = dir.file("killed");
  std::vector<std::string> argv = search_args(killed);
  argv.insert(argv.begin(), test::h4h_binary());
  const pid_t pid = test::spawn_quiet(argv);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!std::filesystem::exists(killed + "/search_state.json") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the search ended before it could be killed";
  EXPECT_FALSE(std::filesystem::exists(killed + "/pareto.json"));

  const auto resumed = test::run_h4h(search_args(killed), 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_NE(resumed.out.find("resumed"), std::string::npos) << resumed.out;
  EXPECT_EQ(test::read_file(killed + "/pareto.json"), test::read_file(dir.file("whole/pareto.json")));
}

TEST_F(SearchCli, BadInputExitsTwoWithAClearMessage) {
  test::TempDir dir;
  struct Case {
    std::vector<std::string> extra;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"--objectives", "acc,speed"}, "unknown objective 'speed'"},
      {{"--latency-ms", "1e-6"}, "smallest achievable latency"},
      {{"--energy-uj", "1e-9"}, "smallest achievable energy"},
      {{"--cosearch", "cim.macros=0..3"}, "--cosearch"},
      {{"--cosearch", "cim.macros=4000..4100"}, "cim.macros"},
      {{"--algorithm", "annealing"}, "--algorithm"},
      {{"--blocks", "vit"}, "--blocks"},
      {{"--population", "1"}, "--population"},
  };
  for (const Case& c : cases) {
    const auto r = test::run_h4h(search_args(dir.file("bad"), c.extra), 120);
    EXPECT_EQ(r.exit_code, 2) << c.extra[0] << ": " << r.describe();
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.extra[0] << ": " << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.file("bad/pareto.json")));
  }
  // A corrupt checkpoint.
  test::write_file(dir.file("broken.ckpt"), "not a checkpoint");
  auto args = search_args(dir.file("bad"));
  args[2] = dir.file("broken.ckpt");
  auto r = test::run_h4h(args, 120);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("broken.ckpt"), std::string::npos) << r.err;

  // The state of another search in --out is refused and left as it was.
  const auto first = test::run_h4h(search_args(dir.file("other"), {}, "4", "1"), 300);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  const std::string state = test::read_file(dir.file("other/search_state.json"));
  r = test::run_h4h(search_args(dir.file("other"), {}, "5"), 120);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("different search"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(dir.file("other/search_state.json")), state);

  // ... and so is resuming it with a checkpoint of another space.
  std::string yaml = test::kTinySpaceYaml;
  yaml.replace(yaml.find("name: tiny"), 10, "name: tiny-other");
  test::write_file(dir.file("other.yaml"), yaml);
  const auto trained_other =
      test::run_h4h({"train", "--space", dir.file("other.yaml"), "--data", test::trained_tiny().setup.data, "--out",
                     dir.file("other-run"), "--epochs", "1", "--batch-size", "16", "--val-count", "32", "--threads", "1"},
                    120);
  ASSERT_EQ(trained_other.exit_code, 0) << trained_other.describe();
  args = search_args(dir.file("other"), {}, "4", "1");
  args[2] = dir.file("other-run/last.ckpt");
  r = test::run_h4h(args, 120);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find("tiny-other"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(dir.file("other/search_state.json")), state);
}

}  // namespace
}  // namespace h4h
