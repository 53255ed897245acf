// Small CIM layers (the 28x28 Fashion-MNIST subnets: 1 to 196 input vectors per layer): the SRAM's
// latency is paid once per layer, however finely the simulator chunks it, and the estimator and the
// simulator agree layer by layer. Before the fix a 7x7x48 -> 24 1x1 conv took 1158 simulated
// cycles against 473 estimated: each one-vector chunk waited for its own read latency.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>

#include "sim/estimate/analytical_evaluator.h"
#include "tests/support/sim_child.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;
using test::workload;

// Independent layers (each reads its input from the SRAM), all on the CIM, weights resident.
const char* kLayers = R"(
  {"name": "conv3x3", "op": "conv2d", "input": [28, 28, 1], "out_channels": 16, "kernel": [3, 3], "stride": [2, 2], "inputs": []},
  {"name": "dw5x5", "op": "depthwise_conv2d", "input": [14, 14, 16], "kernel": [5, 5], "inputs": []},
  {"name": "project14", "op": "conv2d", "input": [14, 14, 16], "out_channels": 24, "kernel": [1, 1], "inputs": []},
  {"name": "dw5x5s2", "op": "depthwise_conv2d", "input": [14, 14, 48], "kernel": [5, 5], "stride": [2, 2], "inputs": []},
  {"name": "project7", "op": "conv2d", "input": [7, 7, 48], "out_channels": 24, "kernel": [1, 1], "inputs": []},
  {"name": "expand7", "op": "conv2d", "input": [7, 7, 24], "out_channels": 48, "kernel": [1, 1], "inputs": []},
  {"name": "dw3x3s2", "op": "depthwise_conv2d", "input": [7, 7, 48], "kernel": [3, 3], "stride": [2, 2], "inputs": []},
  {"name": "project4", "op": "conv2d", "input": [4, 4, 48], "out_channels": 32, "kernel": [1, 1], "inputs": []},
  {"name": "fc16", "op": "linear", "tokens": 16, "in_features": 64, "out_features": 128, "inputs": []},
  {"name": "se", "op": "conv2d", "input": [1, 1, 96], "out_channels": 24, "kernel": [1, 1], "inputs": []},
  {"name": "classifier", "op": "linear", "tokens": 1, "in_features": 256, "out_features": 10, "inputs": []})";

TEST(CimSmallLayers, EstimateAndSimulationAgreeLayerByLayer) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = workload(kLayers);
  const Mapping m = mapping_all(w, Unit::Cim, "cim-only");
  AnalyticalEvaluator estimator;
  const EvalResult est = estimator.evaluate(w, hw, m);
  ASSERT_TRUE(est.ok) << est.reason;
  const test::SimOutcome sim = test::simulate(w, hw, m);
  ASSERT_TRUE(sim.ok) << sim.reason;
  int64_t est_total = 0, sim_total = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const LayerCost& e = est.report.layers[i];
    const LayerCost& s = sim.report.layers[i];
    EXPECT_EQ(s.stalls.weight_programming, 0) << w.layers[i].name;  // resident
    EXPECT_LE(std::abs(e.cycles - s.cycles), 0.03 * double(s.cycles))
        << w.layers[i].name << ": estimated " << e.cycles << ", simulated " << s.cycles;
    est_total += e.cycles;
    sim_total += s.cycles;
  }
  EXPECT_LE(std::abs(est.report.total_cycles - sim.report.total_cycles), 0.01 * double(sim.report.total_cycles));
  EXPECT_LE(std::abs(est_total - sim_total), 0.01 * double(sim_total));
}

TEST(CimSmallLayers, TheSramLatencyIsPaidOncePerLayer) {
  // 49 input vectors of 48 bytes, 24 output bytes each: the port moves (2352 + 1176) / 8 = 441
  // cycles and the macros need 49 x 8 + 5 = 397; the 32-cycle SRAM latency is paid at most once,
  // with a few cycles for the last vector's compute and write.
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = workload(R"({"name": "project7", "op": "conv2d", "input": [7, 7, 48], "out_channels": 24, "kernel": [1, 1], "inputs": []})");
  const test::SimOutcome sim = test::simulate(w, hw, mapping_all(w, Unit::Cim, "cim-only"));
  ASSERT_TRUE(sim.ok) << sim.reason;
  EXPECT_GE(sim.report.layers[0].cycles, 441);
  EXPECT_LE(sim.report.layers[0].cycles, 441 + 32 + 8 + 3);
}

TEST(CimSmallLayers, OneInputVectorRunsItsStagesInSequence) {
  // Read 96 bytes (12 cycles) + latency 32 + 8 bit-serial passes + 5 fill + the 24-byte write
  // (3 cycles, beside the compute units' 2): 60 in both models.
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = workload(R"({"name": "se", "op": "conv2d", "input": [1, 1, 96], "out_channels": 24, "kernel": [1, 1], "inputs": []})");
  const Mapping m = mapping_all(w, Unit::Cim, "cim-only");
  const test::SimOutcome sim = test::simulate(w, hw, m);
  ASSERT_TRUE(sim.ok) << sim.reason;
  EXPECT_EQ(sim.report.layers[0].cycles, 60);
  AnalyticalEvaluator estimator;
  const EvalResult est = estimator.evaluate(w, hw, m);
  ASSERT_TRUE(est.ok) << est.reason;
  EXPECT_EQ(est.report.layers[0].cycles, 60);
}

}  // namespace
}  // namespace h4h
