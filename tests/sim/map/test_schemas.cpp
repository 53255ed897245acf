// Execution schemas and mapping files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "models/zoo/zoo.h"
#include "sim/core/cim_geometry.h"
#include "sim/core/error.h"
#include "sim/core/workload_json.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;

TEST(Schemas, RulePutsMemoryBoundLayersOnTheCimWhileTheyFit) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("mobilenet_v2");
  const Mapping m = rule_mapping(w, hw);
  int64_t used = 0;
  bool saw_cim = false;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    const bool regular_conv = l.op == OpKind::Conv2d && (l.kernel_h > 1 || l.kernel_w > 1);
    if (!unit_supports(Unit::Cim, l.op) || regular_conv) EXPECT_EQ(m.layers[i].npu_fraction, 1.0) << l.name;
    if (m.layers[i].on_cim()) {
      saw_cim = true;
      EXPECT_FALSE(m.layers[i].split());
      used += cim_tiling(l, hw.cim).footprint_bits;
    }
  }
  EXPECT_TRUE(saw_cim);
  EXPECT_LE(used, hw.cim.capacity_bits());
  // Without a CIM the rule is the NPU-only mapping.
  const Mapping none = rule_mapping(w, preset("ethos-u55-256"));
  for (const Placement& p : none.layers) EXPECT_EQ(p.npu_fraction, 1.0);
}

TEST(Schemas, MoreCapacityPutsMoreLayersOnTheCim) {
  const Workload w = build_zoo_model("mobilenet_v2");
  auto on_cim = [&](const char* subarrays) {
    Mapping m = rule_mapping(w, preset("h4h-default", {{"cim.subarrays_per_macro", subarrays}}));
    return std::count_if(m.layers.begin(), m.layers.end(), [](const Placement& p) { return p.on_cim(); });
  };
  EXPECT_LT(on_cim("4"), on_cim("64"));
  EXPECT_LE(on_cim("64"), on_cim("1024"));
}

TEST(Schemas, CimOnlyListsTheLayersTheCimCannotTake) {
  const Workload w = build_zoo_model("mobilenet_v2");
  try {
    resolve_mapping("cim-only", w, preset("h4h-default"));
    FAIL();
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("cim-only"), std::string::npos) << msg;
    EXPECT_NE(msg.find("features.3.add (add)"), std::string::npos) << msg;
  }
  EXPECT_THROW(resolve_mapping("cim-only", w, preset("ethos-u55-256")), InputError);
  EXPECT_THROW(resolve_mapping("fastest", w, preset("h4h-default")), InputError);
}

TEST(Schemas, MappingFilesRoundTripAndValidate) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("resnet18");
  Mapping m = rule_mapping(w, hw);
  m.layers[w.find("fc")].npu_fraction = 0.25;
  const nlohmann::json doc = mapping_to_json(m, w);
  const Mapping back = mapping_from_json(doc, w, "m.json");
  ASSERT_EQ(back.layers.size(), m.layers.size());
  for (size_t i = 0; i < m.layers.size(); ++i) EXPECT_DOUBLE_EQ(back.layers[i].npu_fraction, m.layers[i].npu_fraction);

  auto expect_error = [&](const nlohmann::json& bad, const char* fragment) {
    try {
      mapping_from_json(bad, w, "m.json");
      FAIL() << bad.dump();
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("m.json"), std::string::npos) << e.what();
    }
  };
  expect_error({{"version", 1}, {"layers", {{"nope", "npu"}}}}, "layers.nope");
  expect_error({{"version", 1}, {"layers", {{"fc", "gpu"}}}}, "layers.fc");
  expect_error({{"version", 1}, {"layers", {{"fc", {{"npu", 0.5}, {"cim", 0.4}}}}}}, "add up to 1");
  expect_error({{"version", 1}, {"layers", {{"fc", {{"npu", 1.5}, {"cim", -0.5}}}}}}, "fraction");
  expect_error({{"version", 1}, {"layers", {{"fc", {{"tpu", 1.0}}}}}}, "unknown unit");
  expect_error({{"version", 1}, {"layers", {{"maxpool", "cim"}}}}, "maxpool");
  expect_error({{"version", 2}, {"layers", nlohmann::json::object()}}, "version");
  expect_error({{"version", 1}}, "layers");
  expect_error(nlohmann::json::array(), "expected");
}

TEST(Schemas, LayerPartSplitsChannelsAndKeepsEachSideNonEmpty) {
  const Workload w = parse_workload(R"({"version": 1, "layers": [
      {"name": "c", "op": "conv2d", "input": [8, 8, 16], "out_channels": 10, "kernel": 1},
      {"name": "d", "op": "depthwise_conv2d", "input": [8, 8, 16], "kernel": 3, "inputs": []}]})", "t");
  const Placement p{0.3};
  EXPECT_EQ(layer_part(w.layers[0], Unit::Npu, p).out_channels, 3);
  EXPECT_EQ(layer_part(w.layers[0], Unit::Cim, p).out_channels, 7);
  const Placement tiny{0.01};
  EXPECT_EQ(layer_part(w.layers[0], Unit::Npu, tiny).out_channels, 1);
  EXPECT_EQ(layer_part(w.layers[1], Unit::Cim, p).input.c, 11);
  EXPECT_EQ(count_layer(layer_part(w.layers[1], Unit::Npu, p), w.precision).macs +
                count_layer(layer_part(w.layers[1], Unit::Cim, p), w.precision).macs,
            count_layer(w.layers[1], w.precision).macs);
}

}  // namespace
}  // namespace h4h
