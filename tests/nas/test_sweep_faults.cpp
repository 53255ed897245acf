// `h4h sweep` under faults: a full disk while writing its results or its journal, SIGKILL at
// seeded-random moments followed by --resume (the files of an uninterrupted run, byte for byte),
// journals it must refuse, and simulation workers that crash or hang.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "tests/support/fault_env.h"
#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {
namespace {

const std::string kSource = test::source_dir();
const std::string kDefaultHw = kSource + "/hwconfigs/h4h-default.yaml";

// Two linear layers: a point simulates in milliseconds.
std::string write_fc_net(const TempDir& dir) {
  const std::string file = dir.file("fc.json");
  write_file(file, R"({"version": 1, "name": "fc_net", "layers": [
    {"name": "fc", "op": "linear", "tokens": 16, "in_features": 1024, "out_features": 512},
    {"name": "head", "op": "linear", "tokens": 16, "in_features": 512, "out_features": 64}]})");
  return file;
}

std::vector<std::string> sweep_args(const std::string& workload, const std::string& out, std::vector<std::string> extra = {}) {
  // The block-level simulator: these tests are about worker and disk faults, and it is fast enough
  // under the sanitizers for the short timeouts they use.
  std::vector<std::string> args{"sweep", "--workload", workload, "--hw", kDefaultHw, "--set", "cim.macros=1,2,4",
                                "--set", "cim.compute_units=1,2", "--fidelity", "block", "--out", out};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

std::string journal_of(const std::string& dir) { return dir + "/sweep.partial.jsonl"; }

// Complete records in a sweep journal (lines after the header); 0 when there is none.
int journal_records(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(journal_of(dir), ec)) return 0;
  std::string text;
  try {
    text = read_file(journal_of(dir));
  } catch (const std::exception&) {
    return 0;
  }
  const int lines = int(std::count(text.begin(), text.end(), '\n'));
  return lines > 0 ? lines - 1 : 0;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(SweepFaults, AFullDiskKeepsThePreviousResultsAndNamesTheFileThatFailed) {
  TempDir dir;
  const std::string fc = write_fc_net(dir), out = dir.file("out");
  const RunResult first = run_h4h(sweep_args(fc, out), 120);
  ASSERT_EQ(first.exit_code, 0) << first.describe();
  const std::string csv = read_file(out + "/sweep.csv"), json = read_file(out + "/sweep.json");

  // Another grid, so that a successful write would change both files.
  std::vector<std::string> other = sweep_args(fc, out);
  other[6] = "cim.macros=8,16";
  struct Case {
    std::vector<std::pair<std::string, std::string>> fault;
    std::string file, message;
    bool csv_replaced;  // sweep.csv is written before sweep.json
  };
  const std::vector<Case> cases{
      {full_disk("*/out/sweep.csv.tmp*", 50), "sweep.csv", "No space left on device", false},
      {full_disk("*/out/sweep.json.tmp*"), "sweep.json", "No space left on device", true},
      {{{"H4H_FAULT_PATH", "*/out/sweep.csv.tmp*"}, {"H4H_FAULT_OP", "fsync"}}, "sweep.csv", "Input/output error", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file + ": " + c.message);
    write_file(out + "/sweep.csv", csv);
    RunResult r;
    {
      FaultEnv env(c.fault);
      r = run_h4h(other, 120);
    }
    ASSERT_TRUE(r.exited()) << r.describe();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_TRUE(contains(r.err, "h4h-fault:")) << "the fault was never reached: " << r.err;
    EXPECT_TRUE(contains(r.err, out + "/" + c.file + ": write failed: " + c.message)) << r.err;
    EXPECT_EQ(read_file(out + "/sweep.json"), json) << "sweep.json changed";
    if (c.csv_replaced) EXPECT_NE(read_file(out + "/sweep.csv"), csv) << "the new sweep.csv was not written";
    else EXPECT_EQ(read_file(out + "/sweep.csv"), csv) << "sweep.csv changed";
    EXPECT_EQ(temp_files_in(out), std::vector<std::string>{});
  }
}

TEST(SweepFaults, AFullDiskWhileJournallingStopsTheSweepAndResumeFinishesIt) {
  TempDir dir;
  const std::string fc = write_fc_net(dir), whole = dir.file("whole"), out = dir.file("out");
  const RunResult uninterrupted = run_h4h(sweep_args(fc, whole, {"--simulate", "--jobs", "1"}), 120);
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.describe();
  EXPECT_FALSE(std::filesystem::exists(journal_of(whole))) << "a finished sweep keeps its journal";

  // The header and two records fit, the third is torn.
  RunResult stopped;
  {
    FaultEnv env(full_disk("*/out/sweep.partial.jsonl", 600));
    stopped = run_h4h(sweep_args(fc, out, {"--simulate", "--jobs", "1"}), 120);
  }
  ASSERT_TRUE(stopped.exited()) << stopped.describe();
  EXPECT_EQ(stopped.exit_code, 1) << stopped.describe();
  EXPECT_TRUE(contains(stopped.err, journal_of(out) + ": cannot record a finished point: No space left on device"))
      << stopped.err;
  EXPECT_FALSE(std::filesystem::exists(out + "/sweep.csv"));
  const std::string torn = read_file(journal_of(out));
  ASSERT_NE(torn.back(), '\n') << "the fault did not tear a record: " << torn;
  EXPECT_EQ(journal_records(out), 2);

  // Without --resume the journal is refused, and left alone.
  const RunResult refused = run_h4h(sweep_args(fc, out, {"--simulate"}), 120);
  EXPECT_EQ(refused.exit_code, 2) << refused.describe();
  EXPECT_TRUE(contains(refused.err, journal_of(out))) << refused.err;
  EXPECT_TRUE(contains(refused.err, "--resume")) << refused.err;
  EXPECT_EQ(read_file(journal_of(out)), torn);

  const RunResult resumed = run_h4h(sweep_args(fc, out, {"--simulate", "--jobs", "2", "--resume"}), 120);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  EXPECT_TRUE(contains(resumed.err, "2 of 6 points already simulated")) << resumed.err;
  EXPECT_EQ(read_file(out + "/sweep.csv"), read_file(whole + "/sweep.csv"));
  EXPECT_EQ(read_file(out + "/sweep.json"), read_file(whole + "/sweep.json"));
  EXPECT_FALSE(std::filesystem::exists(journal_of(out)));
  EXPECT_EQ(temp_files_in(out), std::vector<std::string>{});
}

TEST(SweepFaults, AJournalFromOtherInputsOrNotAJournalIsRefused) {
  TempDir dir;
  const std::string fc = write_fc_net(dir), out = dir.file("out");
  {
    FaultEnv env(full_disk("*/out/sweep.partial.jsonl", 400));
    const RunResult stopped = run_h4h(sweep_args(fc, out, {"--simulate", "--jobs", "1"}), 120);
    ASSERT_EQ(stopped.exit_code, 1) << stopped.describe();
  }
  ASSERT_GE(journal_records(out), 1);
  const std::string journal = read_file(journal_of(out));

  // Another mapping for the same points.
  const RunResult other_mapping = run_h4h(sweep_args(fc, out, {"--schema", "npu-only", "--simulate", "--resume"}), 120);
  EXPECT_EQ(other_mapping.exit_code, 2) << other_mapping.describe();
  EXPECT_TRUE(contains(other_mapping.err, "cim.macros=1, cim.compute_units=1 was simulated with other inputs"))
      << other_mapping.err;
  // Another hardware file (same settings, another energy table).
  std::string hw = read_file(kDefaultHw);
  hw += "\n# edited\n";
  write_file(dir.file("hw.yaml"), hw);
  std::vector<std::string> other_hw = sweep_args(fc, out, {"--simulate", "--resume"});
  other_hw[4] = dir.file("hw.yaml");
  const RunResult refused_hw = run_h4h(other_hw, 120);
  EXPECT_EQ(refused_hw.exit_code, 2) << refused_hw.describe();
  EXPECT_TRUE(contains(refused_hw.err, "simulated with other inputs")) << refused_hw.err;
  EXPECT_EQ(read_file(journal_of(out)), journal) << "a refused resume changed the journal";
  EXPECT_FALSE(std::filesystem::exists(out + "/sweep.csv"));

  for (const std::string& bad : {std::string("not json\n"), std::string("{\"h4h_sweep_journal\": 1}\n{\"settings\": 3}\n")}) {
    write_file(journal_of(out), bad);
    const RunResult r = run_h4h(sweep_args(fc, out, {"--simulate", "--resume"}), 120);
    EXPECT_EQ(r.exit_code, 2) << r.describe();
    EXPECT_TRUE(contains(r.err, journal_of(out))) << r.err;
    EXPECT_EQ(read_file(journal_of(out)), bad);
  }
  // --resume needs --simulate (nothing else is journalled).
  const RunResult no_simulate = run_h4h(sweep_args(fc, dir.file("x"), {"--resume"}), 60);
  EXPECT_EQ(no_simulate.exit_code, 2) << no_simulate.describe();
  EXPECT_TRUE(contains(no_simulate.err, "--simulate")) << no_simulate.err;
}

// Three kills at seeded-random moments of one sweep (the first before any point is recorded, the
// others after a random number of points plus a random delay), each followed by --resume; the last
// resume runs to the end. The files equal those of an uninterrupted run, byte for byte.
TEST(SweepFaults, KilledAtSeededRandomMomentsAndResumedWritesTheUninterruptedFiles) {
  TempDir dir;
  const std::vector<std::string> grid{"sweep", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--set", "cim.macros=1,2,4,8",
                                      "--set", "cim.compute_units=1,2,4", "--simulate", "--fidelity", "block", "--jobs", "1",
                                      "--out"};
  std::vector<std::string> whole = grid, killed = grid;
  whole.push_back(dir.file("whole"));
  killed.insert(killed.end(), {dir.file("killed"), "--resume"});
  killed.insert(killed.begin(), test::h4h_binary());
  const RunResult uninterrupted = run_h4h(whole, 300);
  ASSERT_EQ(uninterrupted.exit_code, 0) << uninterrupted.describe();

  std::mt19937 rng(20241129);
  const auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  struct Kill {
    int after_records;  // 0: from the start
    double delay_s;
  };
  std::vector<Kill> plan{{0, uniform(0, 0.15)}};
  plan.push_back({pick(1, 4), uniform(0, 0.06)});
  plan.push_back({pick(6, 9), uniform(0, 0.06)});
  const std::string out = dir.file("killed");
  int landed = 0;
  for (const Kill& k : plan) {
    SCOPED_TRACE(fmt::format("kill after {} records + {:.3f} s", k.after_records, k.delay_s));
    const bool hit = run_and_kill(
        killed, [&] { return k.after_records == 0 || journal_records(out) >= k.after_records; }, k.delay_s);
    landed += hit;
    EXPECT_TRUE(hit || k.after_records == 0) << "the sweep ended before the kill";
  }
  EXPECT_GE(landed, 2);
  const int recorded = journal_records(out);
  const RunResult resumed = run_h4h(std::vector<std::string>(killed.begin() + 1, killed.end()), 300);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.describe();
  if (recorded > 0)  // what the last kill left is used, not simulated again
    EXPECT_TRUE(contains(resumed.err, fmt::format("{} of 12 points already simulated", recorded))) << resumed.err;
  EXPECT_EQ(read_file(out + "/sweep.csv"), read_file(dir.file("whole/sweep.csv")));
  EXPECT_EQ(read_file(out + "/sweep.json"), read_file(dir.file("whole/sweep.json")));
  EXPECT_FALSE(std::filesystem::exists(journal_of(out)));
  for (const std::string& name : temp_files_in(out))  // gnuplot's own temp files are not ours to remove
    EXPECT_TRUE(name.rfind("sweep.csv", 0) != 0 && name.rfind("sweep.json", 0) != 0) << name;
}

// A worker that crashes and one that never answers (the fault library makes the second and the
// fourth child do so): their points carry the reason, the other points are simulated, exit 0.
TEST(SweepFaults, ACrashingAndAHangingWorkerAreReportedForTheirPointsWhileTheRestCompletes) {
  TempDir dir;
  const std::string fc = write_fc_net(dir), out = dir.file("out");
  RunResult r;
  {
    FaultEnv env({{"H4H_FAULT_CRASH", "2"}, {"H4H_FAULT_HANG", "4"}});
    r = run_h4h(sweep_args(fc, out, {"--simulate", "--jobs", "2", "--timeout", "2"}), 120);
  }
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 0) << r.describe();
  EXPECT_TRUE(contains(r.err, "2 of 6 simulations failed")) << r.err;
  const std::string csv = read_file(out + "/sweep.csv");
  std::vector<std::string> lines;
  for (size_t start = 0, end; (end = csv.find('\n', start)) != std::string::npos; start = end + 1)
    lines.push_back(csv.substr(start, end - start));
  ASSERT_EQ(lines.size(), 7u) << csv;
  for (size_t point = 0; point < 6; ++point) {
    const std::string& row = lines[point + 1];
    SCOPED_TRACE(row);
    const std::string sim_status = row.substr(row.rfind(',') + 1);
    if (point == 1) EXPECT_EQ(sim_status, "simulator: killed by signal 11 (Segmentation fault)");
    else if (point == 3) EXPECT_EQ(sim_status, "simulator: timed out after 2 s (killed)");
    else EXPECT_EQ(sim_status, "ok");
  }
  EXPECT_FALSE(std::filesystem::exists(journal_of(out)));
}

}  // namespace h4h::test
