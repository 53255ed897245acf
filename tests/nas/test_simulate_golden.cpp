// Golden traces (traces/golden/): re-simulates each case and compares the Chrome trace, the
// per-layer CSV and the result JSON with the stored files byte for byte. Regenerate after an
// intended change of the simulator with
//   H4H_UPDATE_GOLDEN=1 build/tests/test_nas --gtest_filter='GoldenTrace*'
// and review the diff (traces/README.md).
#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {
namespace {

struct GoldenCase {
  std::string workload;  // traces/golden/<workload>.workload.json
  std::string hw;        // hwconfigs/<hw>.yaml
  std::string mapping;
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.workload << " on " << c.hw << " (" << c.mapping << ")"; }

const std::vector<GoldenCase> kCases = {{"tiny", "h4h-default", "rule"}, {"chain3", "ethos-u55-256", "rule"}};

bool updating() {
  const char* v = std::getenv("H4H_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

// The result JSON without hw_file (an absolute path that differs between checkouts).
std::string portable_report(const std::string& text) {
  nlohmann::json doc = nlohmann::json::parse(text);
  doc.erase("hw_file");
  return doc.dump(1) + "\n";
}

// The line of `s` that holds position `pos` (without its newline).
std::string line_containing(const std::string& s, size_t pos) {
  size_t begin = pos;
  while (begin > 0 && s[begin - 1] != '\n') --begin;
  const size_t end = s.find('\n', pos);
  return s.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

class GoldenTrace : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTrace, SimulationMatchesTheStoredFiles) {
  const GoldenCase& c = GetParam();
  const std::string dir = test::source_dir() + "/traces/golden/";
  const std::string stem = dir + c.workload + "." + c.hw;
  TempDir out;
  RunResult r = run_command({test::h4h_binary(), "simulate", "--workload", dir + c.workload + ".workload.json", "--hw",
                             test::source_dir() + "/hwconfigs/" + c.hw + ".yaml", "--mapping", c.mapping,
                             "--json", "--trace", out.file("trace.json"), "--csv", out.file("layers.csv")},
                            300);
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  const std::vector<std::pair<std::string, std::string>> files = {
      {stem + ".trace.json", read_file(out.file("trace.json"))},
      {stem + ".layers.csv", read_file(out.file("layers.csv"))},
      {stem + ".report.json", portable_report(r.out)}};
  for (const auto& [golden, actual] : files) {
    if (updating()) {
      write_file(golden, actual);
      continue;
    }
    ASSERT_TRUE(std::filesystem::exists(golden))
        << golden << " is missing; create it with H4H_UPDATE_GOLDEN=1 (traces/README.md)";
    const std::string expected = read_file(golden);
    if (expected == actual) continue;
    // Point at the first differing line rather than dumping both files.
    size_t line = 1, i = 0;
    for (; i < expected.size() && i < actual.size() && expected[i] == actual[i]; ++i) line += expected[i] == '\n';
    ADD_FAILURE() << golden << " differs at line " << line << "\n  golden: " << line_containing(expected, i).substr(0, 300)
                  << "\n  actual: " << line_containing(actual, i).substr(0, 300)
                  << "\nIf the change is intended, regenerate with H4H_UPDATE_GOLDEN=1 (traces/README.md).";
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenTrace, ::testing::ValuesIn(kCases), [](const auto& info) {
  std::string name = info.param.workload + "_" + info.param.hw;
  for (char& ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
});

}  // namespace
}  // namespace h4h::test
