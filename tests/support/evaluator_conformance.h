#pragma once
// The Evaluator contract (sim/core/evaluator.h) as one suite of cases and checks, run against every
// Evaluator implementation: the analytical estimator in-process
// (tests/sim/estimate/test_evaluator_conformance.cpp) and the SystemC simulator in child processes
// (tests/sim/blocksim/test_agreement.cpp). A new Evaluator runs the same cases through
// expect_conforming().
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "models/zoo/zoo.h"
#include "sim/core/capability.h"
#include "sim/core/cost_report.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_inputs.h"

namespace h4h::test {

struct ConformanceCase {
  std::string label;
  Workload workload;
  HardwareSpec hw;
  Mapping mapping;
  std::string failure;  // empty: must evaluate; else must fail with a reason containing this text
};

// Splits every splittable layer 50/50 and puts the other CIM-capable layers on the CIM.
inline Mapping half_split_mapping(const Workload& w) {
  Mapping m = mapping_all(w, Unit::Npu, "half-split");
  for (size_t i = 0; i < w.layers.size(); ++i) {
    if (splittable_channels(w.layers[i]) >= 2) m.layers[i].npu_fraction = 0.5;
    else if (unit_supports(Unit::Cim, w.layers[i].op)) m.layers[i].npu_fraction = 0;
  }
  return m;
}

// Every zoo model under npu-only and rule on h4h-default, npu-only on ethos-u55-256 and the half
// split on h4h-default with cim.reprogram per_inference; then candidates that cannot run (including
// CIM weights that do not fit under the default cim.reprogram never).
inline std::vector<ConformanceCase> conformance_cases() {
  std::vector<ConformanceCase> cases;
  const HardwareSpec system = preset("h4h-default"), npu_only = preset("ethos-u55-256");
  const HardwareSpec streaming = preset("h4h-default", {{"cim.reprogram", "per_inference"}});
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    cases.push_back({name + " / h4h-default / npu-only", w, system, resolve_mapping("npu-only", w, system), ""});
    cases.push_back({name + " / h4h-default / rule", w, system, resolve_mapping("rule", w, system), ""});
    cases.push_back({name + " / ethos-u55-256 / npu-only", w, npu_only, resolve_mapping("npu-only", w, npu_only), ""});
    // Every CIM-capable layer on the CIM: more weights than the MRAM holds, so they are rewritten per inference.
    cases.push_back({name + " / h4h-default / half-split", w, streaming, half_split_mapping(w), ""});
  }
  const Workload mm = workload(R"({"name": "mm", "op": "matmul", "batch": 1, "m": 8, "k": 8, "n": 8, "inputs": []},
                                  {"name": "fc", "op": "linear", "tokens": 8, "in_features": 8, "out_features": 8, "inputs": []})");
  Mapping m = mapping_all(mm, Unit::Npu, "t");
  m.layers[0].npu_fraction = 0;
  cases.push_back({"a matmul on the CIM", mm, system, m, "matmul"});
  m = mapping_all(mm, Unit::Npu, "t");
  m.layers[1].npu_fraction = 0;
  cases.push_back({"a CIM layer on a system without CIM", mm, npu_only, m, "no CIM"});
  m = mapping_all(mm, Unit::Npu, "t");
  m.layers[0].npu_fraction = 0.5;
  cases.push_back({"a split matmul", mm, system, m, "mm"});
  m = mapping_all(mm, Unit::Npu, "t");
  m.layers.pop_back();
  cases.push_back({"fewer placements than layers", mm, system, m, "placements"});
  const Workload big = workload(R"({"name": "big", "op": "linear", "tokens": 4, "in_features": 4096, "out_features": 4096})");
  cases.push_back({"CIM weights that do not fit, cim.reprogram never", big, system, mapping_all(big, Unit::Cim, "t"),
                   "cim.reprogram is never"});
  return cases;
}

// How an evaluator counts MAC actions: the workload's MACs (the estimator, the block simulator), or
// the MACs its datapaths performed (the cycle-level simulator: an Ethos-U55 also multiplies the
// zero-padding taps its windows cover), never fewer than the workload's.
enum class MacCount { Workload, Performed };

// What every successful report must hold, whatever the evaluator.
inline void expect_conforming_report(const CostReport& r, const Workload& w, const HardwareSpec& hw, const std::string& what,
                                     MacCount mac_count = MacCount::Workload) {
  SCOPED_TRACE(what);
  ASSERT_EQ(r.layers.size(), w.layers.size());
  const WorkloadTotals totals = count_workload(w);
  EXPECT_EQ(r.macs(), totals.macs);  // MACs conserved
  if (mac_count == MacCount::Workload)
    EXPECT_EQ(r.actions.npu_macs + r.actions.cim_macs, totals.macs);
  else
    EXPECT_GE(r.actions.npu_macs + r.actions.cim_macs, totals.macs);
  ActionCounts actions;
  EnergyBreakdown energy;
  int64_t last_end = 0;
  for (size_t i = 0; i < r.layers.size(); ++i) {
    const LayerCost& c = r.layers[i];
    const std::string& name = w.layers[i].name;
    EXPECT_EQ(c.layer, int(i)) << name;
    EXPECT_EQ(c.macs, count_layer(w.layers[i], w.precision).macs) << name;
    EXPECT_GE(c.start_cycle, 0) << name;
    EXPECT_EQ(c.end_cycle - c.start_cycle, c.cycles) << name;
    EXPECT_LE(c.compute_cycles, c.cycles) << name;
    for (int p : w.layers[i].inputs) EXPECT_LE(r.layers[size_t(p)].end_cycle, c.start_cycle) << name;
    EXPECT_GE(c.utilization, 0) << name;
    EXPECT_LE(c.utilization, 1 + 1e-9) << name;
    // Energy only via dynamic_energy: the layer's energy is its actions x the table.
    const EnergyBreakdown expected = dynamic_energy(c.actions, hw.energy);
    for (const EnergyComponent& k : kEnergyComponents) EXPECT_DOUBLE_EQ(c.energy.*k.pj, expected.*k.pj) << name << " " << k.name;
    actions += c.actions;
    energy += c.energy;
    last_end = std::max(last_end, c.end_cycle);
  }
  EXPECT_EQ(r.total_cycles, last_end);
  for (const ActionKind& k : kActionKinds) EXPECT_EQ(r.actions.*k.count, actions.*k.count) << k.name;
  for (const EnergyComponent& k : kEnergyComponents) EXPECT_NEAR(r.energy.*k.pj, energy.*k.pj, 1e-9 * (1 + energy.*k.pj)) << k.name;
  EXPECT_DOUBLE_EQ(r.static_energy_pj, static_energy_pj(hw, r.total_cycles));
  // A unit runs one layer part at a time: busy time never exceeds the run.
  EXPECT_LE(r.npu_busy_cycles, r.total_cycles);
  EXPECT_LE(r.cim_busy_cycles, r.total_cycles);
}

// A case's result: a failure with its reason, or a conforming report.
inline void expect_conforming(const ConformanceCase& c, const EvalResult& r, MacCount mac_count = MacCount::Workload) {
  if (!c.failure.empty()) {
    EXPECT_FALSE(r.ok) << c.label;
    EXPECT_NE(r.reason.find(c.failure), std::string::npos) << c.label << ": " << r.reason;
    return;
  }
  ASSERT_TRUE(r.ok) << c.label << ": " << r.reason;
  expect_conforming_report(r.report, c.workload, c.hw, c.label, mac_count);
}

}  // namespace h4h::test
