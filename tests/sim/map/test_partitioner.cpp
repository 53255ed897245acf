// The partitioner: exact on chains (against brute force over every placement), capacity respected,
// never worse than the fixed schemas on DAGs, and a lower bound below what it finds.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <random>

#include "models/zoo/zoo.h"
#include "sim/core/cim_geometry.h"
#include "sim/core/error.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/partitioner.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;

// A random chain of conv / depthwise / linear layers (each reads the previous one's output).
Workload random_chain(std::mt19937_64& rng, int layers) {
  Workload w;
  w.name = "chain";
  int64_t c = 16 << (rng() % 3), hw = 8 << (rng() % 2);
  for (int i = 0; i < layers; ++i) {
    Layer l;
    l.name = "l" + std::to_string(i);
    if (i > 0) l.inputs = {i - 1};
    const int kind = int(rng() % 3);
    l.input = Shape{hw, hw, c};
    if (kind == 0) {
      l.op = OpKind::Conv2d;
      l.kernel_h = l.kernel_w = (rng() % 2) ? 1 : 3;
      l.out_channels = c = 16 << (rng() % 4);
    } else if (kind == 1) {
      l.op = OpKind::DepthwiseConv2d;
      l.kernel_h = l.kernel_w = 3;
      l.out_channels = c;
    } else {
      l.op = OpKind::Linear;
      l.out_features = c = 16 << (rng() % 4);
    }
    w.layers.push_back(l);
  }
  infer_shapes(w);
  return w;
}

double brute_force(const Workload& w, const HardwareSpec& hw, const PartitionOptions& options) {
  std::vector<std::vector<PlacementOption>> table;
  for (const Layer& l : w.layers) table.push_back(placement_options(l, w.precision, hw, options));
  const int64_t capacity = hw.cim.capacity_bits() / (int64_t(hw.cim.rows) * hw.cim.cols);
  double best = std::numeric_limits<double>::infinity();
  // Resident tiles plus room for the largest streamed part (one round) within capacity.
  std::function<void(size_t, int64_t, int64_t, double, double)> walk = [&](size_t i, int64_t tiles, int64_t stream,
                                                                          double cycles, double energy) {
    if (tiles + stream > capacity) return;
    if (i == table.size()) {
      const double cost = options.objective == Objective::Latency ? cycles : options.objective == Objective::Energy ? energy : cycles * energy;
      best = std::min(best, cost);
      return;
    }
    for (const PlacementOption& o : table[i])
      walk(i + 1, tiles + o.tiles, std::max(stream, o.stream_tiles), cycles + o.cycles, energy + o.energy_pj);
  };
  walk(0, 0, 0, 0, 0);
  return best;
}

TEST(Partitioner, OptimalEqualsBruteForceOnRandomChains) {
  std::mt19937_64 rng(2024);
  // Two sub-arrays per macro: capacity binds for most chains.
  const HardwareSpec hw = preset("h4h-default", {{"cim.subarrays_per_macro", "2"}});
  for (int trial = 0; trial < 25; ++trial) {
    const Workload w = random_chain(rng, 3 + int(rng() % 3));
    for (Objective objective : {Objective::Latency, Objective::Energy}) {
      PartitionOptions options;
      options.objective = objective;
      const PartitionResult r = partition(w, hw, options);
      const double expected = brute_force(w, hw, options);
      EXPECT_NEAR(r.cost, expected, 1e-9 * expected) << "trial " << trial << " " << objective_name(objective);
      AnalyticalEvaluator evaluator;
      EXPECT_TRUE(evaluator.evaluate(w, hw, r.mapping).ok);
    }
  }
}

TEST(Partitioner, RespectsCapacityAndBeatsTheFixedSchemasOnZooModels) {
  for (const char* subarrays : {"4", "64"}) {
    const HardwareSpec hw = preset("h4h-default", {{"cim.subarrays_per_macro", subarrays}});
    for (const std::string& name : {std::string("mobilenet_v2"), std::string("nasvit_a0"), std::string("deit_tiny")}) {
      const Workload w = build_zoo_model(name);
      AnalyticalEvaluator evaluator;
      const double npu_only = double(evaluator.evaluate(w, hw, resolve_mapping("npu-only", w, hw)).report.total_cycles);
      const double rule = double(evaluator.evaluate(w, hw, resolve_mapping("rule", w, hw)).report.total_cycles);
      for (bool concurrent : {false, true}) {
        PartitionOptions options;
        options.concurrent = concurrent;
        const PartitionResult r = partition(w, hw, options);
        SCOPED_TRACE(name + (concurrent ? " concurrent" : " serial") + " subarrays " + subarrays);
        EXPECT_TRUE(cim_residency_problem(w, r.mapping, hw.cim).empty());
        const EvalResult e = evaluator.evaluate(w, hw, r.mapping);
        ASSERT_TRUE(e.ok) << e.reason;
        EXPECT_DOUBLE_EQ(double(e.report.total_cycles), r.cost);
        EXPECT_LE(r.cost, npu_only);
        EXPECT_LE(r.cost, rule);
        EXPECT_LE(r.lower_bound, r.cost);
        EXPECT_GT(r.lower_bound, 0);
      }
    }
  }
}

TEST(Partitioner, StreamedPartsOfTheOptimalMappingFitTheFreeMramInOneRound) {
  // With little MRAM the partitioner streams weights; it keeps room for the largest streamed part
  // beside the resident ones, so each is programmed in one round (and the simulator can place it).
  const HardwareSpec hw = preset("h4h-default", {{"cim.subarrays_per_macro", "8"}, {"cim.reprogram", "per_inference"}});
  const int64_t capacity = hw.cim.macros * int64_t(hw.cim.subarrays_per_macro);
  for (const std::string& name : {std::string("mobilenet_v2"), std::string("deit_tiny"), std::string("resnet18")}) {
    const Workload w = build_zoo_model(name);
    for (Objective objective : {Objective::Latency, Objective::Energy}) {
      PartitionOptions options;
      options.objective = objective;
      const Mapping m = partition(w, hw, options).mapping;
      const std::vector<bool> resident = plan_cim_residency(w, m, hw.cim);
      int64_t used = 0, largest_streamed = 0, streamed = 0;
      for (size_t i = 0; i < w.layers.size(); ++i) {
        if (!m.layers[i].on_cim()) continue;
        const int64_t tiles = cim_tiles(layer_part(w.layers[i], Unit::Cim, m.layers[i]), hw.cim);
        if (resident[i]) used += tiles;
        else largest_streamed = std::max(largest_streamed, tiles), ++streamed;
      }
      SCOPED_TRACE(name + " " + objective_name(objective));
      EXPECT_LE(used + largest_streamed, capacity);
      if (objective == Objective::Latency && name != "resnet18") {
        EXPECT_GT(streamed, 0);  // the case is exercised
      }
    }
  }
}

TEST(Partitioner, ConcurrentIsNeverWorseThanSerial) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("deit_tiny");
  PartitionOptions serial, concurrent;
  concurrent.concurrent = true;
  EXPECT_LE(partition(w, hw, concurrent).cost, partition(w, hw, serial).cost);
}

TEST(Partitioner, EnergyObjectiveFindsLowerEnergyThanLatencyObjective) {
  const HardwareSpec hw = preset("h4h-default");
  const Workload w = build_zoo_model("mobilenet_v2");
  PartitionOptions latency, energy;
  energy.objective = Objective::Energy;
  AnalyticalEvaluator evaluator;
  const CostReport by_latency = evaluator.evaluate(w, hw, partition(w, hw, latency).mapping).report;
  const CostReport by_energy = evaluator.evaluate(w, hw, partition(w, hw, energy).mapping).report;
  EXPECT_LE(by_energy.energy_pj(), by_latency.energy_pj());
  EXPECT_LE(by_latency.total_cycles, by_energy.total_cycles);
}

TEST(Partitioner, BadInput) {
  const Workload w = build_zoo_model("mobilenet_v2");
  EXPECT_THROW(partition(w, preset("ethos-u55-256"), PartitionOptions{}), InputError);
  EXPECT_THROW(parse_objective("speed"), InputError);
}

}  // namespace
}  // namespace h4h
