// The simulated NPU's datapath cycles are the engines' (Vela 3.10's per-op cycles for Ethos-U55,
// SCALE-Sim's for the systolic array): on the reference shapes, a lone layer's compute_cycles equals
// the reference, and when memory keeps up the replayed commands take exactly that long.
#include <gtest/gtest.h>

#include <map>

#include "tests/support/sim_child.h"
#include "tests/support/reference_layers.h"

namespace h4h {
namespace {

// Weights arrive at once: the NPU's datapath (and the IFM stream) set the pace. The Ethos-U55
// compute model reads only the SRAM port and the latencies, which stay Vela's defaults.
// Fast external memory, and an SRAM that holds every reference layer's tensors at once (they run as
// one workload of independent layers whose outputs all live to the end).
const std::vector<Override> kFastFlash = {{"external.bytes_per_cycle", "4096"},
                                          {"npu.external_bytes_per_cycle", "4096"},
                                          {"external.burst_bytes", "4096"},
                                          {"sram.size_kb", "65536"}};

// Sum of the replayed commands' spans per layer.
std::map<std::string, int64_t> command_cycles(const test::SimOutcome& o) {
  std::map<std::string, int64_t> cycles;
  for (const TraceSpan& s : o.spans)
    if (s.track == "npu.datapath") cycles[s.name] += s.end_cycle - s.start_cycle;
  return cycles;
}

Workload workload_of(std::vector<Layer> layers) {
  Workload w;
  w.name = "reference-shapes";
  for (Layer& l : layers) l.inputs = {};
  w.layers = std::move(layers);
  infer_shapes(w);
  return w;
}

TEST(NpuCompute, EthosU55LayersTakeVelasCyclesInTheSimulator) {
  std::vector<Layer> layers;
  std::vector<int64_t> vela;
  for (const auto& r : test::vela_rows()) {
    if (r.str("accel") != "u55-256") continue;
    layers.push_back(test::vela_layer(r));
    vela.push_back(r.num("npu_cycles"));
  }
  ASSERT_EQ(layers.size(), 49u);
  const Workload w = workload_of(layers);
  const HardwareSpec hw = load_hardware(test::source_dir() + "/hwconfigs/ethos-u55-256.yaml", kFastFlash);
  const test::SimOutcome o = test::simulate(w, hw, mapping_all(w, Unit::Npu, "npu-only"), true);
  ASSERT_TRUE(o.ok) << o.reason;
  const std::map<std::string, int64_t> replayed = command_cycles(o);
  int kept_up = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerCost& l = o.report.layers[i];
    EXPECT_EQ(l.compute_cycles, vela[i]) << w.layers[i].name;
    // Replayed blocks never run faster than the datapath; with no memory stall they run exactly as fast.
    EXPECT_GE(replayed.at(w.layers[i].name), l.compute_cycles) << w.layers[i].name;
    if (replayed.at(w.layers[i].name) == l.compute_cycles) ++kept_up;
  }
  std::printf("Vela shapes whose memory kept up with the datapath: %d of %zu\n", kept_up, w.layers.size());
  EXPECT_GE(kept_up, 30);
}

TEST(NpuCompute, SystolicLayersTakeScaleSimCyclesInTheSimulator) {
  std::vector<Layer> layers;
  std::vector<int64_t> scalesim;
  for (const auto& row : test::scalesim_rows()) {
    if (row.num("array_rows") != 8 || row.str("dataflow") != "os") continue;
    layers.push_back(test::scalesim_layer(row));
    scalesim.push_back(row.num("scalesim_cycles"));
  }
  ASSERT_GT(layers.size(), 5u);
  const Workload w = workload_of(layers);
  // An ideal memory system: the systolic engine's cycles do not depend on it.
  std::vector<Override> ideal = kFastFlash;
  for (const Override& o : std::vector<Override>{{"npu.engine", "systolic"}, {"npu.array_rows", "8"}, {"npu.array_cols", "8"},
                                                 {"npu.dataflow", "os"}, {"npu.sram_bytes_per_cycle", "4096"},
                                                 {"sram.bytes_per_cycle_per_bank", "4096"}, {"sram.latency_cycles", "0"},
                                                 {"external.latency_cycles", "0"}})
    ideal.push_back(o);
  const HardwareSpec hw = load_hardware(test::source_dir() + "/hwconfigs/h4h-default.yaml", ideal);
  const test::SimOutcome o = test::simulate(w, hw, mapping_all(w, Unit::Npu, "npu-only"), true);
  ASSERT_TRUE(o.ok) << o.reason;
  const std::map<std::string, int64_t> replayed = command_cycles(o);
  for (size_t i = 0; i < w.layers.size(); ++i) {
    EXPECT_EQ(o.report.layers[i].compute_cycles, scalesim[i]) << w.layers[i].name;
    EXPECT_EQ(replayed.at(w.layers[i].name), scalesim[i]) << w.layers[i].name;
  }
}

}  // namespace
}  // namespace h4h
