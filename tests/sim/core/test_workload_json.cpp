// Workload JSON v1 (docs/formats.md): the tiny example loads; every validation error names file, layer and field.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/core/error.h"
#include "sim/core/workload_json.h"
#include "tests/support/repo_files.h"

namespace h4h {
namespace {

// The golden tiny workload (traces/golden/tiny.workload.json).
const std::string kDesignExample = test::tiny_workload_text();

// Expects parse_workload(text) to throw an InputError whose message contains every fragment.
void expect_error(const std::string& text, std::initializer_list<const char*> fragments) {
  try {
    parse_workload(text, "net.json");
    FAIL() << "no error for: " << text;
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const char* f : fragments) EXPECT_NE(message.find(f), std::string::npos) << "'" << f << "' not in: " << message;
  }
}

std::string one_layer(const std::string& layer) { return R"({"version": 1, "name": "t", "layers": [)" + layer + "]}"; }

TEST(WorkloadJson, DesignExampleLoadsWithDerivedShapesAndCounts) {
  Workload w = parse_workload(kDesignExample, "tiny.json");
  ASSERT_EQ(w.layers.size(), 5u);
  EXPECT_EQ(w.layers[0].output, (Shape{16, 16, 16}));
  EXPECT_EQ(count_layer(w.layers[0], w.precision).macs, 16 * 16 * 16 * 27);
  EXPECT_EQ(count_layer(w.layers[0], w.precision).params, 16 * 27 + 16);
  EXPECT_EQ(w.layers[1].output, (Shape{16, 16, 16}));
  EXPECT_EQ(count_layer(w.layers[1], w.precision).macs, 16 * 16 * 16 * 9);
  EXPECT_EQ(w.layers[2].output, (Shape{1, 64, 48}));
  EXPECT_EQ(count_layer(w.layers[2], w.precision).macs, 64 * 16 * 48);
  EXPECT_EQ(w.layers[3].output, (Shape{2, 64, 64}));
  EXPECT_EQ(count_layer(w.layers[3], w.precision).macs, 2 * 64 * 8 * 64);
  EXPECT_EQ(count_layer(w.layers[3], w.precision).params, 0);
  EXPECT_EQ(w.layers[4].inputs, (std::vector<int>{2, 1}));
  EXPECT_EQ(w.layers[1].inputs, (std::vector<int>{0}));
  EXPECT_TRUE(w.layers[0].inputs.empty());
  EXPECT_EQ(count_layer(w.layers[4], w.precision).input_bytes, 2 * 8 * 8 * 16);
}

TEST(WorkloadJson, RoundTripsThroughJson) {
  Workload w = parse_workload(kDesignExample, "tiny.json");
  Workload again = workload_from_json(workload_to_json(w), "round-trip");
  ASSERT_EQ(again.layers.size(), w.layers.size());
  for (size_t i = 0; i < w.layers.size(); ++i) {
    EXPECT_EQ(again.layers[i].name, w.layers[i].name);
    EXPECT_EQ(again.layers[i].output, w.layers[i].output);
    EXPECT_EQ(again.layers[i].inputs, w.layers[i].inputs);
    EXPECT_EQ(count_layer(again.layers[i], again.precision).macs, count_layer(w.layers[i], w.precision).macs);
  }
}

TEST(WorkloadJson, EmptyInputsListReadsFromMemory) {
  Workload w = parse_workload(R"({"version": 1, "layers": [
    {"name": "a", "op": "relu", "input": [4, 4, 8]},
    {"name": "b", "op": "add", "input": [4, 4, 8], "inputs": []}]})", "x.json");
  EXPECT_TRUE(w.layers[1].inputs.empty());
}

TEST(WorkloadJson, AllOpsParse) {
  Workload w = parse_workload(R"({"version": 1, "layers": [
    {"name": "c", "op": "conv2d", "input": [8, 8, 8], "out_channels": 8, "kernel": 3, "groups": 2, "activation": "relu6"},
    {"name": "d", "op": "depthwise_conv2d", "input": [8, 8, 8], "kernel": 5, "stride": 2, "padding": "valid"},
    {"name": "sm", "op": "softmax", "input": [2, 2, 8]},
    {"name": "ln", "op": "layernorm", "input": [1, 4, 8]},
    {"name": "g", "op": "gelu", "input": [1, 4, 8]},
    {"name": "s", "op": "silu", "input": [1, 4, 8]},
    {"name": "hs", "op": "hswish", "input": [1, 4, 8]},
    {"name": "sg", "op": "sigmoid", "input": [1, 4, 8]},
    {"name": "r6", "op": "relu6", "input": [1, 4, 8]},
    {"name": "mp", "op": "maxpool", "input": [8, 8, 8], "kernel": 2},
    {"name": "ap", "op": "avgpool", "input": [8, 8, 8], "kernel": 3, "stride": 1},
    {"name": "gap", "op": "global_avgpool", "input": [8, 8, 8]},
    {"name": "m", "op": "mul", "input": [8, 8, 8], "input2": [1, 1, 8]},
    {"name": "rs", "op": "reshape", "input": [8, 8, 8], "shape": [1, 64, 8]},
    {"name": "tp", "op": "transpose", "input": [1, 64, 8], "perm": [0, 2, 1]},
    {"name": "cat", "op": "concat", "input": [[4, 4, 8], [4, 4, 16]]},
    {"name": "fc", "op": "linear", "input": [1, 1, 8], "out_features": 10}]})", "all.json");
  EXPECT_EQ(w.layers[0].output, (Shape{8, 8, 8}));
  EXPECT_EQ(count_layer(w.layers[0], w.precision).macs, 64 * 8 * 9 * 4);
  EXPECT_EQ(w.layers[1].output, (Shape{2, 2, 8}));
  EXPECT_EQ(w.layers[9].output, (Shape{4, 4, 8}));
  EXPECT_EQ(w.layers[10].output, (Shape{8, 8, 8}));
  EXPECT_EQ(w.layers[11].output, (Shape{1, 1, 8}));
  EXPECT_EQ(w.layers[12].output, (Shape{8, 8, 8}));
  EXPECT_EQ(w.layers[14].output, (Shape{1, 8, 64}));
  EXPECT_EQ(w.layers[15].output, (Shape{4, 4, 24}));
  EXPECT_EQ(layer_op_name(w.layers[5]), "swish");
  EXPECT_EQ(count_layer(w.layers[3], w.precision).params, 16);
}

TEST(WorkloadJson, ErrorsNameFileLayerAndField) {
  expect_error("{not json", {"net.json", "not valid JSON"});
  expect_error(std::string("\x00\x01\xff\xfe", 4), {"net.json", "not valid JSON"});
  expect_error(R"({"version": 1, "name": "t", "layers": [{"name": "a", "op": "relu", "input": [4, 4, 8]})",
               {"net.json", "not valid JSON"});  // truncated
  expect_error(R"([1, 2])", {"net.json", "expected a JSON object"});
  expect_error(R"({"version": 2, "layers": []})", {"net.json", "version", "expected 1"});
  expect_error(R"({"layers": []})", {"version", "missing"});
  expect_error(R"({"version": 1, "layers": []})", {"layers", "at least one layer"});
  expect_error(R"({"version": 1, "layer": []})", {"layer", "unknown key"});
  expect_error(one_layer(R"({"name": "a", "op": "conv3d", "input": [4, 4, 8]})"), {"layer 'a'", "op", "unknown op \"conv3d\"", "conv2d"});
  expect_error(one_layer(R"({"name": "a", "op": "relu", "input": [4, 4, 8], "colour": 1})"), {"layer 'a'", "colour", "unknown key"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4, 8], "kernel": 3})"), {"layer 'a'", "out_channels", "missing"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4, 8], "out_channels": "8", "kernel": 3})"),
               {"out_channels", "expected an integer", "string"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, -4, 8], "out_channels": 8, "kernel": 3})"),
               {"layer 'a'", "input", "out of range"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4], "out_channels": 8, "kernel": 3})"),
               {"input", "list of 3 integers"});
  expect_error(one_layer(R"({"name": "a", "op": "linear", "tokens": 4, "in_features": 8, "out_features": 100000000000})"),
               {"out_features", "out of range"});
  expect_error(one_layer(R"({"name": "a", "op": "relu", "input": [65536, 65536, 4096]})"), {"input", "absurd"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4, 8], "out_channels": 8, "kernel": 9, "padding": "valid"})"),
               {"layer 'a'", "kernel", "does not fit"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4, 8], "out_channels": 6, "kernel": 3, "groups": 4})"),
               {"groups", "must divide"});
  expect_error(one_layer(R"({"name": "a", "op": "relu", "input": [4, 4, 8], "inputs": ["ghost"]})"),
               {"layer 'a'", "inputs", "no earlier layer is named \"ghost\""});
  expect_error(one_layer(R"({"name": "a", "op": "relu", "input": [4, 4, 8]}, {"name": "a", "op": "relu", "input": [4, 4, 8]})"),
               {"name", "duplicate"});
  expect_error(one_layer(R"({"op": "relu", "input": [4, 4, 8]})"), {"layers[0]", "name", "missing"});
  expect_error(one_layer(R"({"name": "a", "op": "add", "input": [4, 4, 8], "input2": [4, 3, 8]})"), {"operands differ"});
  expect_error(one_layer(R"({"name": "a", "op": "reshape", "input": [4, 4, 8], "shape": [4, 4, 4]})"), {"shape", "element count"});
  expect_error(one_layer(R"({"name": "a", "op": "transpose", "input": [4, 4, 8], "perm": [0, 0, 1]})"), {"perm", "permutation"});
  expect_error(one_layer(R"({"name": "a", "op": "concat", "input": [[4, 4, 8], [4, 5, 8]]})"), {"concat", "differ"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4, 8], "out_channels": 8, "kernel": 3, "padding": "full"})"),
               {"padding", "\"same\" or \"valid\""});
  expect_error(one_layer(R"({"name": "a", "op": "linear", "input": [1, 4, 8], "tokens": 4, "out_features": 8})"), {"either input or tokens"});
  expect_error(one_layer(R"({"name": "a", "op": "relu", "input": [4, 4, 8], "activation": "tanhh"})"), {"unknown key"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [4, 4, 8], "out_channels": 8, "kernel": 3, "activation": "tanhh"})"),
               {"activation", "unknown activation"});
}

TEST(WorkloadJson, DerivedSizesThatWouldOverflowAreErrors) {
  // Each field is within its limit; the output (2^52 elements) or the MACs (2^66) are not.
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [65536, 65536, 1], "out_channels": 1048576, "kernel": 1})"),
               {"net.json", "layer 'a'", "output", "absurd"});
  expect_error(one_layer(R"({"name": "a", "op": "conv2d", "input": [8, 8, 1048576], "out_channels": 1048576, "kernel": 1024})"),
               {"net.json", "layer 'a'", "MACs", "absurd"});
  expect_error(one_layer(R"({"name": "a", "op": "matmul", "m": 65536, "k": 65536, "n": 65536})"), {"layer 'a'", "MACs"});
  // At the limit itself: 2^40 MACs.
  Workload w = parse_workload(one_layer(R"({"name": "a", "op": "matmul", "batch": 64, "m": 4096, "k": 2048, "n": 2048})"), "net.json");
  EXPECT_EQ(count_layer(w.layers[0], w.precision).macs, kMaxLayerMacs);
}

TEST(WorkloadJson, MissingFileIsAnInputError) {
  EXPECT_THROW(load_workload("/nonexistent/dir/net.json"), InputError);
  EXPECT_THROW(load_workload("/tmp"), InputError);
}

}  // namespace
}  // namespace h4h
