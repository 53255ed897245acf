// An NPU engine registered only here (tests/support/toy_engine.h) runs in the simulator by its
// `npu.engine` name: the simulator reaches engines through the registry alone.
#include <gtest/gtest.h>

#include "sim/engines/npu_engine_registry.h"
#include "tests/support/sim_child.h"
#include "tests/support/sim_inputs.h"
#include "tests/support/toy_engine.h"

namespace h4h {
namespace {

using test::ToyScalarEngine;
H4H_REGISTER_NPU_ENGINE(ToyScalarEngine);

TEST(EnginePlugin, AThirdEngineSimulatesByItsName) {
  const Workload w = test::workload(
      R"({"name": "fc", "op": "linear", "tokens": 16, "in_features": 32, "out_features": 8, "inputs": []},
         {"name": "act", "op": "relu", "input": [1, 16, 8]})");
  const HardwareSpec hw = test::preset("ethos-u55-256", {{"npu.engine", "toy-scalar"}});
  const test::SimOutcome o = test::simulate(w, hw, mapping_all(w, Unit::Npu, "npu-only"));
  ASSERT_TRUE(o.ok) << o.reason;
  EXPECT_EQ(o.report.layers[0].compute_cycles, 16 * 32 * 8);  // one MAC per cycle
  EXPECT_EQ(o.report.layers[1].compute_cycles, 16 * 8);       // one output element per cycle
  EXPECT_GE(o.report.total_cycles, 16 * 32 * 8 + 16 * 8);
}

}  // namespace
}  // namespace h4h
