// Output files and standard output on a full disk: `h4h simulate --trace/--csv` keeps the previous
// files and names the one that failed; output that never reached standard output is exit 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/fault_env.h"
#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {
namespace {

const std::string kDefaultHw = test::source_dir() + "/hwconfigs/h4h-default.yaml";

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST(OutputFaults, SimulateKeepsThePreviousTraceAndCsvOnAFullDisk) {
  TempDir dir;
  const std::string trace = dir.file("trace.json"), csv = dir.file("layers.csv");
  const std::vector<std::string> args{"simulate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--trace", trace, "--csv", csv};
  struct Case {
    std::string failing;
    bool csv_replaced;  // the CSV is written before the trace
  };
  for (const Case& c : {Case{trace, true}, Case{csv, false}}) {
    SCOPED_TRACE(c.failing);
    write_file(trace, "previous trace\n");
    write_file(csv, "previous csv\n");
    RunResult r;
    {
      FaultEnv env(full_disk(c.failing + ".tmp*", 1000));
      r = run_h4h(args, 120);
    }
    ASSERT_TRUE(r.exited()) << r.describe();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_TRUE(contains(r.err, "h4h-fault: ENOSPC")) << r.err;
    EXPECT_TRUE(contains(r.err, c.failing + ": write failed: No space left on device")) << r.err;
    EXPECT_EQ(read_file(trace), "previous trace\n");
    if (c.csv_replaced) EXPECT_TRUE(contains(read_file(csv), "name,op,unit")) << "the CSV was not written";
    else EXPECT_EQ(read_file(csv), "previous csv\n");
    EXPECT_EQ(temp_files_in(dir.path()), std::vector<std::string>{});
  }
}

TEST(OutputFaults, OutputThatCannotReachStandardOutputIsExitOne) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  TempDir dir;
  for (const std::string& command :
       {std::string("simulate --model mobilenet_v2 --json --hw ") + kDefaultHw,
        std::string("estimate --model mobilenet_v2 --hw ") + kDefaultHw,
        "sweep --model mobilenet_v2 --set cim.macros=1,2 --out " + dir.file("sweep") + " --hw " + kDefaultHw}) {
    SCOPED_TRACE(command);
    const RunResult r = run_command({"/bin/sh", "-c", std::string("exec ") + test::h4h_binary() + " " + command + " > /dev/full"}, 120);
    ASSERT_TRUE(r.exited()) << r.describe();
    EXPECT_EQ(r.exit_code, 1) << r.describe();
    EXPECT_TRUE(contains(r.err, "h4h: failed: cannot write to standard output")) << r.err;
  }
}

}  // namespace h4h::test
