// NPU engines as plugins: the two shipped engines are registered by name, an unknown name is a
// hardware-file error, and a third engine defined here (nowhere else) is loadable by `npu.engine`
// and drives the estimator without any other file naming it.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/zoo/zoo.h"
#include "sim/core/error.h"
#include "sim/engines/npu_engine_registry.h"
#include "tests/support/toy_engine.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::ToyScalarEngine;
H4H_REGISTER_NPU_ENGINE(ToyScalarEngine);

TEST(NpuEngineRegistry, ShipsEthosU55AndSystolicByName) {
  const std::vector<std::string> names = npu_engine_names();
  for (const char* name : {"ethos-u55", "systolic"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
    EXPECT_EQ(npu_engine(name).name(), name);
  }
  NpuSpec u55;
  u55.engine = "ethos-u55";
  u55.macs_per_cycle = 128;
  EXPECT_EQ(npu_engine(u55).peak_macs_per_cycle(u55), 128);
  NpuSpec array;
  array.engine = "systolic";
  array.array_rows = 8, array.array_cols = 32;
  EXPECT_EQ(npu_engine(array).peak_macs_per_cycle(array), 256);
  EXPECT_EQ(npu_engine(array).describe(array), "systolic 8x32 (ws)");
}

TEST(NpuEngineRegistry, AnUnknownEngineIsAHardwareFileErrorListingTheRegisteredOnes) {
  try {
    test::preset("h4h-default", {{"npu.engine", "tpu"}});
    FAIL() << "an unknown engine was accepted";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("h4h-default.yaml"), std::string::npos) << what;
    EXPECT_NE(what.find("npu.engine"), std::string::npos) << what;
    EXPECT_NE(what.find("ethos-u55"), std::string::npos) << what;
    EXPECT_NE(what.find("toy-scalar"), std::string::npos) << what;
  }
  EXPECT_THROW(npu_engine("tpu"), InputError);
}

TEST(NpuEngineRegistry, RegisteringANameTwiceIsRefused) {
  EXPECT_THROW(register_npu_engine(std::make_unique<ToyScalarEngine>()), std::logic_error);
  EXPECT_THROW(register_npu_engine(nullptr), std::logic_error);
}

TEST(NpuEngineRegistry, AThirdEngineDrivesTheEstimatorByItsName) {
  const HardwareSpec hw = test::preset("ethos-u55-256", {{"npu.engine", "toy-scalar"}});
  const Workload w = build_zoo_model("mobilenet_v2");
  AnalyticalEvaluator evaluator;
  const EvalResult r = evaluator.evaluate(w, hw, resolve_mapping("npu-only", w, hw));
  ASSERT_TRUE(r.ok) << r.reason;
  int64_t macs = 0;
  for (const LayerCost& c : r.report.layers) {
    const Layer& l = w.layers[c.layer];
    const int64_t expected = count_layer(l, w.precision).macs > 0 ? count_layer(l, w.precision).macs : l.output.elements();
    if (l.op != OpKind::Reshape) EXPECT_EQ(c.compute_cycles, expected) << l.name;
    EXPECT_GE(c.cycles, c.compute_cycles) << l.name;
    macs += c.macs;
  }
  EXPECT_EQ(r.report.actions.npu_macs, macs);
  EXPECT_GE(r.report.total_cycles, macs);  // one MAC per cycle is a floor
  EXPECT_GT(r.report.layers.front().utilization, 0.0);
  EXPECT_LE(r.report.layers.front().utilization, 1.0);
}

}  // namespace
}  // namespace h4h
