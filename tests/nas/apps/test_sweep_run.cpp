// The sweep pipeline without the binary: every point estimated and the files written; bad input
// (too many points, a journal found without `resume`) refused before anything is written.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "models/zoo/zoo.h"
#include "nas/apps/sweep_journal.h"
#include "nas/apps/sweep_run.h"
#include "tests/nas/apps/error_of.h"
#include "tests/support/build_paths.h"
#include "tests/support/run.h"

namespace h4h {
namespace {

SweepRequest request(const std::string& out_dir) {
  SweepRequest q;
  q.workload = build_zoo_model("mobilenet_v2");
  q.hw_file = test::source_dir() + "/hwconfigs/h4h-default.yaml";
  q.sets = {"cim.macros=2,4", "cim.compute_units=1,2"};
  q.out_dir = out_dir;
  return q;
}

TEST(SweepRun, EstimatesEveryPointAndWritesTheFiles) {
  test::TempDir dir;
  const SweepRequest q = request(dir.file("sweep"));
  std::vector<std::string> phases;
  size_t steps = 0;
  SweepProgress progress;
  progress.begin = [&](const std::string& phase, size_t) { phases.push_back(phase); };
  progress.advance = [&](const std::string&) { ++steps; };
  const SweepOutcome out = run_sweep(q, progress);
  EXPECT_EQ(out.points, 4u);
  EXPECT_EQ(out.sim_failed, 0u);
  EXPECT_EQ(phases, std::vector<std::string>{"sweep"});
  EXPECT_EQ(steps, 4u);
  EXPECT_EQ(std::count(out.csv.begin(), out.csv.end(), '\n'), 5);  // the header and a row per point
  EXPECT_EQ(test::read_file(q.out_dir + "/sweep.csv"), out.csv);
  const nlohmann::json doc = nlohmann::json::parse(test::read_file(q.out_dir + "/sweep.json"));
  EXPECT_EQ(doc["points"].size(), 4u);
  EXPECT_EQ(doc["keys"], (nlohmann::json{"cim.macros", "cim.compute_units"}));
  EXPECT_FALSE(std::filesystem::exists(SweepJournal::path_in(q.out_dir)));
}

TEST(SweepRun, MorePointsThanTheLimitAreRefusedBeforeAnythingIsWritten) {
  test::TempDir dir;
  SweepRequest q = request(dir.file("sweep"));
  q.max_points = 3;
  EXPECT_NE(test::input_error_of([&] { run_sweep(q); }).find("4 points"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(q.out_dir));
}

TEST(SweepRun, AJournalFoundWithoutResumeIsRefusedAndKept) {
  test::TempDir dir;
  SweepRequest q = request(dir.file("sweep"));
  q.simulate = true;
  std::filesystem::create_directories(q.out_dir);
  const std::string journal = SweepJournal::path_in(q.out_dir);
  test::write_file(journal, "{\"h4h_sweep_journal\": 1}\n");
  const std::string message = test::input_error_of([&] { run_sweep(q); });
  EXPECT_NE(message.find(journal), std::string::npos) << message;
  EXPECT_TRUE(std::filesystem::exists(journal));
  EXPECT_FALSE(std::filesystem::exists(q.out_dir + "/sweep.csv"));
}

}  // namespace
}  // namespace h4h
