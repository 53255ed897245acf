// The repository stands alone: users clone it without the design folder that sits beside the
// developers' checkouts (and beside CI's clone, so only this test can show a user would not need
// it). No file in the source tree may refer to that sibling folder.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "tests/support/build_paths.h"

namespace h4h {
namespace {

namespace fs = std::filesystem;

// Build trees (they hold a CMakeCache.txt) and hidden folders (.git) are not part of the sources.
bool skipped_directory(const fs::path& dir) {
  const std::string name = dir.filename().string();
  return (!name.empty() && name[0] == '.') || fs::exists(dir / "CMakeCache.txt");
}

TEST(SelfContained, NoFileReferToTheSiblingDesignFolder) {
  const std::string sibling = std::string("..") + "/" + "shared";  // spelled apart: this file is scanned too
  const fs::path root = test::source_dir();
  std::vector<std::string> offenders;
  size_t scanned = 0;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory()) {
      if (skipped_directory(it->path())) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::ifstream in(it->path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++scanned;
    if (text.find(sibling) != std::string::npos) offenders.push_back(fs::relative(it->path(), root).string());
  }
  EXPECT_GT(scanned, 100u) << "scanned too few files under " << root;
  std::string list;
  for (const std::string& f : offenders) list += "\n  " + f;
  EXPECT_TRUE(offenders.empty()) << "files that refer to " << sibling << ", which users do not have:" << list;
}

TEST(SelfContained, TheReferenceDataTheTestsReadIsInTheRepository) {
  for (const char* file : {"vela_u55_public.csv", "scalesim_public.csv", "scalesim_traces/index.csv", "README.md"})
    EXPECT_TRUE(fs::is_regular_file(fs::path(test::reference_dir()) / file)) << file;
}

}  // namespace
}  // namespace h4h
