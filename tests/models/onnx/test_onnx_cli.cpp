// `h4h import` end to end, and `.onnx` files given straight to `h4h estimate`.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/models/onnx/onnx_test_model.h"
#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {
namespace {

using nlohmann::json;

const std::string kHw = test::source_dir() + "/hwconfigs/h4h-default.yaml";

std::string small_model() {
  OnnxModel m;
  m.input("x", {OnnxModel::kBatch, 3, 16, 16}).weight("W", {8, 3, 3, 3}).weight("fc.w", {4, 8}).ints("flat", {1, -1});
  set_attr(m.node("Conv", {"x", "W"}, {"c"}, "conv"), "pads", std::vector<int64_t>{1, 1, 1, 1});
  m.node("Relu", {"c"}, {"r"}, "relu");
  m.node("GlobalAveragePool", {"r"}, {"p"}, "pool");
  m.node("Reshape", {"p", "flat"}, {"f"}, "flatten");
  set_attr(m.node("Gemm", {"f", "fc.w"}, {"y"}, "fc"), "transB", int64_t(1));
  m.output("y", {1, 4});
  return m.bytes();
}

int64_t total_macs(const RunResult& r) {
  EXPECT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  try {
    return json::parse(r.out).at("total").at("macs").get<int64_t>();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "no result JSON: " << e.what() << ": " << r.out.substr(0, 300);
    return -1;
  }
}

TEST(OnnxImportCli, ImportWritesAWorkloadThatEstimateAccepts) {
  TempDir dir;
  write_file(dir.file("small.onnx"), small_model());
  const RunResult r = run_h4h({"import", dir.file("small.onnx"), "-o", dir.file("small.json"), "--name", "tiny"}, 60);
  ASSERT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  EXPECT_NE(r.out.find("3 layers"), std::string::npos) << r.out;
  const json w = json::parse(read_file(dir.file("small.json")));
  EXPECT_EQ(w.at("name"), "tiny");
  EXPECT_EQ(w.at("layers").size(), 3u);

  const int64_t macs = 16 * 16 * 8 * 27 + 8 * 4;
  EXPECT_EQ(total_macs(run_h4h({"estimate", "--workload", dir.file("small.json"), "--hw", kHw, "--json"}, 60)), macs);
  // The .onnx file directly, as --workload and as --model.
  EXPECT_EQ(total_macs(run_h4h({"estimate", "--workload", dir.file("small.onnx"), "--hw", kHw, "--json"}, 60)), macs);
  EXPECT_EQ(total_macs(run_h4h({"estimate", "--model", dir.file("small.onnx"), "--hw", kHw, "--json"}, 60)), macs);
}

TEST(OnnxImportCli, BadInputIsExitCodeTwoAndWritesNothing) {
  TempDir dir;
  const std::string bytes = small_model();
  write_file(dir.file("cut.onnx"), bytes.substr(0, bytes.size() / 2));
  RunResult r = run_h4h({"import", dir.file("cut.onnx"), "-o", dir.file("out.json")}, 60);
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_NE(r.err.find(dir.file("cut.onnx")), std::string::npos) << r.err;
  EXPECT_EQ(TempDir::entries_of(dir.path()).size(), 1u) << "an output file was left behind";

  // An existing output stays as it was.
  write_file(dir.file("out.json"), "keep");
  r = run_h4h({"import", dir.file("cut.onnx"), "-o", dir.file("out.json")}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_EQ(read_file(dir.file("out.json")), "keep");

  r = run_h4h({"estimate", "--workload", dir.file("cut.onnx"), "--hw", kHw}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  r = run_h4h({"import", dir.file("missing.onnx"), "-o", dir.file("x.json")}, 60);
  EXPECT_EQ(r.exit_code, 2) << r.describe();
}

}  // namespace
}  // namespace h4h::test
