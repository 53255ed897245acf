// The partitioner's table is sized by what the workload can use, not by the MRAM: on the largest
// MRAM a hardware file may declare (4096 macros x 65536 sub-arrays, where a table over every
// sub-array would need tens of GB) it returns at once, and the same mapping as on an MRAM just
// large enough for every layer's weights.
#include <gtest/gtest.h>

#include "models/zoo/zoo.h"
#include "sim/map/partitioner.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

std::string placements(const Mapping& m) {
  std::string out;
  for (const Placement& p : m.layers) out += std::string(placement_name(p)) + (p.weights == CimWeights::Streamed ? "s " : " ");
  return out;
}

TEST(PartitionerCapacity, AHugeMramGivesTheMappingOfOneJustLargeEnough) {
  const Workload w = build_zoo_model("mobilenet_v2");
  const HardwareSpec huge = test::preset("h4h-default", {{"cim.macros", "4096"}, {"cim.subarrays_per_macro", "65536"}});
  // 4096 x 16 sub-arrays of 128 x 256 bits hold mobilenet_v2's 3.5 MB of weights many times over.
  const HardwareSpec enough = test::preset("h4h-default", {{"cim.macros", "4096"}, {"cim.subarrays_per_macro", "16"}});
  for (Objective objective : {Objective::Latency, Objective::Energy, Objective::EnergyDelay}) {
    PartitionOptions options;
    options.objective = objective;
    const PartitionResult a = partition(w, huge, options), b = partition(w, enough, options);
    EXPECT_EQ(placements(a.mapping), placements(b.mapping)) << objective_name(objective);
    EXPECT_DOUBLE_EQ(a.cost, b.cost) << objective_name(objective);
  }
}

}  // namespace
}  // namespace h4h
