// `h4h search` under faults: a full disk while writing its results, SIGKILL at seeded-random
// moments followed by a rerun (it resumes from search_state.json and must write the uninterrupted
// run's files), and finalist simulations whose worker crashes or hangs.
#include <gtest/gtest.h>

#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "tests/nas/train/fixtures.h"
#include "tests/support/fault_env.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

using nlohmann::json;

std::vector<std::string> search_args(const std::string& out, std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"search", "--checkpoint", test::trained_tiny().checkpoint, "--hw",
                             test::source_dir() + "/hwconfigs/h4h-default.yaml", "--out", out,
                             "--population", "6", "--generations", "4", "--finalists", "2", "--bn-batches", "1",
                             "--batch-size", "16", "--threads", "1", "--seed", "4"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// Generations saved in DIR/search_state.json (0 when there is none).
size_t generations_saved(const std::string& dir) {
  if (!std::filesystem::exists(dir + "/search_state.json")) return 0;
  try {
    return json::parse(test::read_file(dir + "/search_state.json")).at("history").size();
  } catch (const std::exception&) {
    return 0;
  }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class SearchFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!H4H_HAVE_TORCH) GTEST_SKIP() << "h4h built without LibTorch (H4H_WITH_TORCH=OFF): no `h4h train`";
  }
};

}  // namespace

TEST_F(SearchFaults, AFullDiskKeepsThePreviousResultsAndNamesTheFileThatFailed) {
  test::TempDir dir;
  const std::string out = dir.file("out");
  const auto first = test::run_h4h(search_args(out), 300);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  const std::string pareto = test::read_file(out + "/pareto.json");
  const json doc = json::parse(pareto);
  ASSERT_FALSE(doc.at("finalists").empty());
  const std::string subnet = out + "/" + doc["finalists"][0]["dir"].get<std::string>() + "/subnet.pt";
  const std::string subnet_before = test::read_file(subnet);

  // Run again: it resumes from the finished state, simulates the finalists and rewrites the files.
  struct Case {
    std::string pattern, name;  // the failing file: out/pareto.json, one finalist's subnet.pt
  };
  for (const Case& c : {Case{"*/out/pareto.json.tmp*", out + "/pareto.json"}, Case{"*/subnet.pt.tmp*", "/subnet.pt"}}) {
    SCOPED_TRACE(c.name);
    test::RunResult r;
    {
      test::FaultEnv env(test::full_disk(c.pattern, 100));
      r = test::run_h4h(search_args(out), 300);
    }
    ASSERT_TRUE(r.exited()) << r.describe();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_TRUE(contains(r.err, "h4h-fault: ENOSPC")) << r.err;
    EXPECT_TRUE(contains(r.err, c.name + ": write failed: No space left on device")) << r.err;
    EXPECT_EQ(test::read_file(out + "/pareto.json"), pareto);
    EXPECT_EQ(test::read_file(subnet), subnet_before);
    EXPECT_EQ(test::temp_files_in(out), std::vector<std::string>{});
    EXPECT_EQ(test::temp_files_in(std::filesystem::path(subnet).parent_path()), std::vector<std::string>{});
  }
}

// Three kills at seeded-random moments of one search: within 20 ms of the output directory
// appearing (before the first generation is saved), after a random number of saved generations plus
// a random delay, and after the last generation is saved (while the finalists are simulated and the
// results written). Each is followed by a rerun, which resumes; the last runs to the end.
TEST_F(SearchFaults, KilledAtSeededRandomMomentsAndRerunWritesTheUninterruptedResults) {
  test::TempDir dir;
  const auto whole = test::run_h4h(search_args(dir.file("whole")), 300);
  ASSERT_EQ(whole.exit_code, 0) << whole.describe();

  std::mt19937 rng(11);
  const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  struct Kill {
    size_t after_generations;  // 0: once the output directory exists
    double delay_s;
  };
  const std::vector<Kill> plan{{0, uniform(0, 0.02)},
                               {size_t(std::uniform_int_distribution<int>(1, 3)(rng)), uniform(0, 0.05)},
                               {4, uniform(0, 0.1)}};
  const std::string out = dir.file("killed");
  std::vector<std::string> argv = search_args(out);
  argv.insert(argv.begin(), test::h4h_binary());
  std::vector<size_t> left_at;
  int landed = 0;
  for (const Kill& k : plan) {
    SCOPED_TRACE(fmt::format("kill after {} generations + {:.3f} s", k.after_generations, k.delay_s));
    landed += test::run_and_kill(
        argv,
        [&] { return k.after_generations == 0 ? std::filesystem::exists(out) : generations_saved(out) >= k.after_generations; },
        k.delay_s);
    left_at.push_back(generations_saved(out));
  }
  EXPECT_GE(landed, 2);
  EXPECT_EQ(left_at[0], 0u) << "the first kill came after the first generation was saved";

  const auto resumed = test::run_h4h(search_args(out), 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_TRUE(contains(resumed.out, fmt::format("at generation {}/4", left_at.back()))) << resumed.out;
  for (const char* file : {"pareto.json", "pareto.csv", "history.csv"})
    EXPECT_EQ(test::read_file(out + "/" + file), test::read_file(dir.file(std::string("whole/") + file))) << file;
  const json pareto = json::parse(test::read_file(out + "/pareto.json"));
  for (const json& f : pareto.at("finalists"))
    for (const char* file : {"report.json", "subnet.pt"}) {
      const std::string name = f.at("dir").get<std::string>() + "/" + file;
      EXPECT_EQ(test::read_file(out + "/" + name), test::read_file(dir.file("whole/" + name))) << name;
    }
}

// The fault library crashes the first simulation worker and hangs the second: both candidates are
// dropped with the reason and the next ones are promoted.
TEST_F(SearchFaults, AFinalistWhoseWorkerCrashesOrHangsIsDroppedWithTheReason) {
  test::TempDir dir;
  test::RunResult r;
  {
    test::FaultEnv env({{"H4H_FAULT_CRASH", "1"}, {"H4H_FAULT_HANG", "2"}});
    r = test::run_h4h(search_args(dir.file("out"), {"--sim-timeout", "2"}), 300);
  }
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(contains(r.out, "simulation failed: simulator: killed by signal 11 (Segmentation fault)")) << r.out;
  EXPECT_TRUE(contains(r.out, "simulation failed: simulator: timed out after 2 s (killed)")) << r.out;
  const json doc = json::parse(test::read_file(dir.file("out/pareto.json")));
  ASSERT_EQ(doc.at("finalists").size(), 2u);
  for (const json& f : doc["finalists"]) EXPECT_GT(f["simulated"]["latency_ms"].get<double>(), 0);
}

}  // namespace h4h
