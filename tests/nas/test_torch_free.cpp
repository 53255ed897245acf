// An h4h built without LibTorch (H4H_WITH_TORCH=OFF, the sanitized CI build): the commands that need
// the training library refuse with a message saying why, exit 2, and write nothing.
#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {
namespace {

TEST(TorchFree, TrainEvalExportAndSearchSayTheyNeedLibTorch) {
  if (H4H_HAVE_TORCH) GTEST_SKIP() << "h4h built with LibTorch: it has the training library";
  TempDir dir;
  const std::string space = test::source_dir() + "/models/spaces/fashion-mnist.yaml";
  write_file(dir.file("x.ckpt"), "not a checkpoint");
  const std::vector<std::vector<std::string>> commands{
      {"train", "--space", space, "--out", dir.file("run")},
      {"eval", "--checkpoint", dir.file("x.ckpt")},
      {"export", "--checkpoint", dir.file("x.ckpt"), "--arch", "largest", "-o", dir.file("subnet.onnx")},
      {"search", "--checkpoint", dir.file("x.ckpt"), "--hw",
       test::source_dir() + "/hwconfigs/h4h-default.yaml", "--out", dir.file("search")},
  };
  for (const auto& args : commands) {
    const RunResult r = run_h4h(args, 60);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.describe();
    EXPECT_NE(r.err.find("built without LibTorch"), std::string::npos) << args[0] << ": " << r.err;
    EXPECT_NE(r.err.find("-DH4H_WITH_TORCH=ON"), std::string::npos) << args[0] << ": " << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("subnet.onnx")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("search/pareto.json")));
}

}  // namespace
}  // namespace h4h::test
