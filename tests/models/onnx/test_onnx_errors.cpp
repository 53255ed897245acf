// ONNX import of bad input: every case is an InputError naming the file (and the node or input),
// never a crash.
#include <gtest/gtest.h>

#include <random>

#include "models/onnx/onnx_import.h"
#include "sim/core/error.h"
#include "tests/models/onnx/onnx_test_model.h"

namespace h4h::test {
namespace {

constexpr int64_t N = OnnxModel::kBatch;

// A valid model: conv + relu + global pool + gemm.
OnnxModel valid_model() {
  OnnxModel m;
  m.input("x", {N, 3, 16, 16}).weight("W", {8, 3, 3, 3}).weight("fc.w", {4, 8}).weight("fc.b", {4});
  m.ints("flat", {1, -1});
  set_attr(m.node("Conv", {"x", "W"}, {"c"}, "conv"), "pads", std::vector<int64_t>{1, 1, 1, 1});
  m.node("Relu", {"c"}, {"r"}, "relu");
  m.node("GlobalAveragePool", {"r"}, {"p"}, "pool");
  m.node("Reshape", {"p", "flat"}, {"f"}, "flatten");
  set_attr(m.node("Gemm", {"f", "fc.w", "fc.b"}, {"y"}, "fc"), "transB", int64_t(1));
  m.output("y", {1, 4});
  return m;
}

// The InputError message of importing `bytes` as "bad.onnx" ("" when it imports).
std::string error_of(const std::string& bytes, const OnnxImportOptions& options = {}) {
  try {
    import_onnx_bytes(bytes, "bad.onnx", options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void expect_error(const std::string& bytes, std::initializer_list<std::string> fragments) {
  const std::string what = error_of(bytes);
  ASSERT_FALSE(what.empty()) << "expected an InputError";
  EXPECT_EQ(what.rfind("bad.onnx: ", 0), 0u) << what;
  for (const std::string& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << "'" << f << "' not in: " << what;
}

TEST(OnnxImportErrors, TheValidModelImports) {
  EXPECT_EQ(error_of(valid_model().bytes()), "");
  EXPECT_EQ(import_onnx_bytes(valid_model().bytes(), "bad.onnx").layers.size(), 3u);
}

TEST(OnnxImportErrors, EmptyFile) { expect_error("", {"empty file"}); }

TEST(OnnxImportErrors, TruncatedFile) {
  const std::string bytes = valid_model().bytes();
  expect_error(bytes.substr(0, bytes.size() / 2), {});
}

TEST(OnnxImportErrors, GarbageBytes) {
  expect_error("this is not an ONNX model\n", {"not an ONNX model"});
  std::mt19937 rng(7);
  std::string noise(4096, '\0');
  for (char& c : noise) c = char(rng());
  expect_error(noise, {});
}

TEST(OnnxImportErrors, MissingFile) {
  try {
    import_onnx("/nonexistent/model.onnx");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/model.onnx"), std::string::npos) << e.what();
  }
}

TEST(OnnxImportErrors, EveryUnsupportedOpIsListedInOneError) {
  OnnxModel m;
  m.input("x", {N, 8, 4, 4});
  m.node("Tanh", {"x"}, {"a"}, "tanh1");
  m.node("Relu", {"a"}, {"b"}, "relu");
  m.node("Tanh", {"b"}, {"c"}, "tanh2");
  m.node("LeakyRelu", {"c"}, {"y"}, "leaky");
  m.output("y", {1, 8, 4, 4});
  expect_error(m.bytes(), {"unsupported ONNX ops (3 nodes of 2 types)", "LeakyRelu (1 node, first 'leaky')",
                           "Tanh (2 nodes, first 'tanh1')", "Supported: Add"});
}

TEST(OnnxImportErrors, ModelThatFailsTheChecker) {
  OnnxModel m = valid_model();
  m.proto().mutable_graph()->mutable_node(1)->set_input(0, "nowhere");
  expect_error(m.bytes(), {"ONNX checker"});
}

TEST(OnnxImportErrors, BatchOtherThanOne) {
  OnnxModel m;
  m.input("x", {4, 8, 4, 4});
  m.node("Relu", {"x"}, {"y"}, "relu");
  m.output("y", {4, 8, 4, 4});
  expect_error(m.bytes(), {"input 'x', dimension 0", "batch 4"});
}

TEST(OnnxImportErrors, UnnamedSymbolicDimension) {
  OnnxModel m;
  m.input("x", {N, -1, 32}, "seq");
  m.node("Relu", {"x"}, {"y"}, "relu");
  m.output("y", {1, 4, 32});
  expect_error(m.bytes(), {"input 'x', dimension 1", "'seq'", "--dim seq="});
}

TEST(OnnxImportErrors, ModelWithoutComputeNodes) {
  OnnxModel m;
  m.input("x", {N, 8});
  m.node("Identity", {"x"}, {"y"}, "id");
  m.output("y", {1, 8});
  expect_error(m.bytes(), {"no layers"});
}

TEST(OnnxImportErrors, CyclicGraphOfAModelTooNewToCheck) {
  OnnxModel m(20, 10);  // the checker, which rejects cycles, is skipped for such a model
  m.input("x", {N, 8});
  m.node("Relu", {"b"}, {"a"}, "r1");
  m.node("Sigmoid", {"a"}, {"b"}, "r2");
  m.node("Add", {"x", "b"}, {"y"}, "add");
  m.output("a", {1, 8}).output("b", {1, 8}).output("y", {1, 8});
  expect_error(m.bytes(), {"node 'r1' (Relu)", "before any node produces it"});
}

TEST(OnnxImportErrors, ModelThatCrashesOnnxShapeInference) {
  // A Conv weight of rank 40 (no elements) passes ONNX 1.12's checker and crashes its shape
  // inference, which runs in a child process: the import fails as bad input.
  OnnxModel m;
  std::vector<int64_t> dims = {4, 3, 3, 3};
  dims.resize(40, 0);
  m.input("x", {N, 3, 8, 8}).weight("W", dims);
  m.node("Conv", {"x", "W"}, {"y"}, "conv");
  m.output("y", {1, 4, 6, 6});
  expect_error(m.bytes(), {"ONNX"});
}

// Flipped bytes of a valid model: each import either succeeds or is an InputError.
TEST(OnnxImportErrors, CorruptedModelsNeverCrash) {
  const std::string bytes = valid_model().bytes();
  std::mt19937 rng(11);
  int rejected = 0;
  for (int i = 0; i < 300; ++i) {
    std::string b = bytes;
    const int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f) b[rng() % b.size()] = char(rng());
    try {
      import_onnx_bytes(b, "bad.onnx");
    } catch (const InputError&) {
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace h4h::test
