// The compiler in front of the cycle-level simulator (sim/lower/lower_program.h): task order and
// dependencies, addresses from the allocator, systolic layers as SCALE-Sim layers, CIM rounds made
// of whole output groups on distinct MRAM slots, and the failures it must report.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sim/core/mapping.h"
#include "sim/lower/lower_program.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;
using test::workload;

TEST(LowerProgram, TasksFollowTheLayersAndWaitForTheirProducers) {
  const Workload w = workload(R"({"name": "a", "op": "conv2d", "input": [16, 16, 8], "out_channels": 16, "kernel": [3, 3]},
                                {"name": "b", "op": "depthwise_conv2d", "input": [16, 16, 16], "kernel": [3, 3]},
                                {"name": "c", "op": "add", "input": [16, 16, 16], "inputs": ["a", "b"]})");
  const HardwareSpec hw = preset("h4h-default");
  Mapping m = mapping_all(w, Unit::Npu, "t");
  m.layers[1].npu_fraction = 0;  // b on the CIM
  const LoweredProgram p = lower_program(w, hw, m);
  ASSERT_TRUE(p.ok) << p.reason;
  ASSERT_EQ(p.program.tasks.size(), 3u);
  EXPECT_EQ(p.program.tasks[1].unit, Unit::Cim);
  EXPECT_EQ(p.program.tasks[1].after, std::vector<int>{0});
  EXPECT_EQ(p.program.tasks[2].after, (std::vector<int>{0, 1}));
  // c reads a's and b's outputs where the allocator put them, and writes its own.
  std::map<std::string, cyc::TensorRef> tensors;
  for (const cyc::AllocatedTensor& t : p.program.tensors) tensors[t.name] = t.where;
  const auto& c = std::get<std::vector<cyc::U55Command>>(std::get<cyc::NpuTask>(p.program.tasks[2].work).body);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c.front().ifm.address, tensors.at("a.out").address);
  EXPECT_EQ(c.front().ifm2.address, tensors.at("b.out").address);
  EXPECT_EQ(c.front().ofm.address, tensors.at("c.out").address);
}

TEST(LowerProgram, SystolicLayersBecomeScaleSimLayers) {
  const Workload w = workload(R"({"name": "same", "op": "conv2d", "input": [9, 9, 4], "out_channels": 6, "kernel": [3, 3], "stride": [2, 2]},
                                {"name": "valid", "op": "conv2d", "input": [9, 9, 4], "out_channels": 6, "kernel": [3, 3], "stride": [2, 2], "padding": "valid", "inputs": []},
                                {"name": "dw", "op": "depthwise_conv2d", "input": [8, 8, 5], "kernel": [3, 3], "inputs": []},
                                {"name": "fc", "op": "linear", "tokens": 7, "in_features": 12, "out_features": 10, "inputs": []})");
  const HardwareSpec hw = preset("ethos-u55-256", {{"npu.engine", "systolic"}});
  const LoweredProgram p = lower_program(w, hw, mapping_all(w, Unit::Npu, "t"));
  ASSERT_TRUE(p.ok) << p.reason;
  auto command = [&](size_t t) { return std::get<cyc::SystolicCommand>(std::get<cyc::NpuTask>(p.program.tasks[t].work).body); };
  // Padded: the extent the 5 x 5 outputs' windows cover; unpadded: the input itself (4 x 4 outputs).
  EXPECT_EQ(command(0).shape.ifmap_h, (5 - 1) * 2 + 3);
  EXPECT_EQ(command(1).shape.ifmap_h, 9);
  EXPECT_EQ(command(1).shape.stride, 2);
  EXPECT_EQ(command(2).repeats, 5) << "one SCALE-Sim layer per depthwise channel";
  EXPECT_EQ(command(2).shape.channels, 1);
  EXPECT_EQ(command(3).shape.ifmap_h, 7);   // GEMM M
  EXPECT_EQ(command(3).shape.ifmap_w, 12);  // K
  EXPECT_EQ(command(3).shape.num_filters, 10);
  for (size_t t = 0; t < 4; ++t) EXPECT_EQ(command(t).macs, count_layer(w.layers[t], w.precision).macs);
  EXPECT_EQ(command(0).filter.memory, cyc::MemoryTarget::External);
}

// Under cim.reprogram per_inference, a layer bigger than the free MRAM is programmed in rounds; a
// round never splits an output group's reduction slices (the compute units add them up within it),
// and its tiles sit in distinct slots.
TEST(LowerProgram, CimRoundsHoldWholeOutputGroupsOnDistinctSlots) {
  const Workload w = workload(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 300, "out_features": 100})");
  const HardwareSpec hw = preset("h4h-default", {{"cim.macros", "2"}, {"cim.subarrays_per_macro", "2"}, {"cim.rows", "128"},
                                                 {"cim.cols", "256"}, {"cim.reprogram", "per_inference"}});
  const LoweredProgram p = lower_program(w, hw, mapping_all(w, Unit::Cim, "t"));
  ASSERT_TRUE(p.ok) << p.reason;
  const cyc::CimTask& task = std::get<cyc::CimTask>(p.program.tasks[0].work);
  int64_t programmed = 0, macs = 0;
  int rounds = 0;
  for (const cyc::CimCommand& c : task.commands) {
    if (const auto* prog = std::get_if<cyc::CimProgram>(&c.body)) {
      for (const cyc::CimProgramTile& t : prog->tiles) programmed += t.bytes;
      continue;
    }
    const cyc::CimRun& run = std::get<cyc::CimRun>(c.body);
    ++rounds;
    std::set<std::pair<int, int>> slots;
    std::map<int64_t, std::set<int64_t>> slices;  // output group -> its row tiles in this round
    for (const cyc::CimRunTile& t : run.tiles) {
      EXPECT_TRUE(slots.insert({t.macro, t.subarray}).second) << "two tiles in one slot";
      EXPECT_NE(t.weights_id, 0u);
      slices[t.output_first].insert(t.row_tile);
      macs += t.macs * run.positions;
    }
    for (const auto& [group, rows] : slices) EXPECT_EQ(rows.size(), 3u) << "300 inputs = 3 row tiles of 128";
  }
  EXPECT_GT(rounds, 1);
  const LayerCounts counts = count_layer(w.layers[0], w.precision);
  EXPECT_EQ(programmed, counts.weight_bytes + counts.bias_bytes);
  EXPECT_EQ(macs, counts.macs);
}

TEST(LowerProgram, ResidentWeightsAreNotProgrammedPerInference) {
  const Workload w = workload(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 64, "out_features": 32})");
  const LoweredProgram p = lower_program(w, preset("h4h-default"), mapping_all(w, Unit::Cim, "t"));
  ASSERT_TRUE(p.ok) << p.reason;
  const cyc::CimTask& task = std::get<cyc::CimTask>(p.program.tasks[0].work);
  ASSERT_EQ(task.commands.size(), 1u);
  for (const cyc::CimRunTile& t : std::get<cyc::CimRun>(task.commands[0].body).tiles) EXPECT_EQ(t.weights_id, 0u);
}

TEST(LowerProgram, FailuresNameTheirCause) {
  const Workload big = workload(R"({"name": "fc", "op": "linear", "tokens": 4, "in_features": 4096, "out_features": 4096})");
  const LoweredProgram never = lower_program(big, preset("h4h-default"), mapping_all(big, Unit::Cim, "t"));
  EXPECT_FALSE(never.ok);
  EXPECT_NE(never.reason.find("cim.reprogram is never"), std::string::npos) << never.reason;
  const LoweredProgram sram = lower_program(big, preset("h4h-default", {{"sram.size_kb", "1"}}), mapping_all(big, Unit::Npu, "t"));
  EXPECT_FALSE(sram.ok);
  EXPECT_NE(sram.reason.find("do not fit the shared SRAM"), std::string::npos) << sram.reason;
  const Workload odd = workload(R"({"name": "c", "op": "conv2d", "input": [8, 8, 4], "out_channels": 4, "kernel": [3, 3], "stride": [1, 2]})");
  const LoweredProgram stride = lower_program(odd, preset("ethos-u55-256", {{"npu.engine", "systolic"}}), mapping_all(odd, Unit::Npu, "t"));
  EXPECT_FALSE(stride.ok);
  EXPECT_NE(stride.reason.find("layer 'c'"), std::string::npos) << stride.reason;
  Mapping short_mapping = mapping_all(big, Unit::Npu, "t");
  short_mapping.layers.clear();
  EXPECT_NE(lower_program(big, preset("h4h-default"), short_mapping).reason.find("placements"), std::string::npos);
}

}  // namespace
}  // namespace h4h
