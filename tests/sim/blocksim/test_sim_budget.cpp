// The simulation budget (sim/blocksim/sim_budget.h): the prediction counts what build_plan builds
// (NPU blocks and commands, CIM rounds, chunks and programmed tiles, external bursts), its cycles
// never exceed what the simulator simulates and its trace is within 2x of the recorded one; every
// limit refuses with its flag, the value and the limit, and lets the same work through once raised;
// every zoo model on every shipped preset stays within the defaults.
#include <gtest/gtest.h>

#include <algorithm>

#include "models/zoo/zoo.h"
#include "sim/core/error.h"
#include "sim/engines/npu_model.h"
#include "sim/map/schemas.h"
#include "sim/blocksim/sim_budget.h"
#include "sim/blocksim/sim_plan.h"
#include "tests/support/sim_child.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

using test::preset;

int64_t bursts(int64_t bytes, int64_t burst) { return bytes > 0 ? (bytes + burst - 1) / burst : 0; }

// What the simulator's modules iterate over, counted on the plan itself.
struct PlanCounts {
  int64_t blocks = 0, commands = 0, rounds = 0, chunks = 0, tiles_programmed = 0, bursts = 0;
};

PlanCounts count_plan(const blocksim::SimPlan& plan, const HardwareSpec& hw) {
  PlanCounts c;
  const int64_t burst = hw.external.burst_bytes;
  for (const blocksim::PartJob& p : plan.parts) {
    if (p.unit == Unit::Npu) {
      for (const NpuOpSchedule& op : p.npu.schedule.ops) {
        const int64_t n = op.blocks * op.repeats;
        c.blocks += n;
        c.commands += op.repeats;
        for (int64_t k = 0; k < n; ++k) c.bursts += bursts(share(op.weight_bytes + op.scale_bias_bytes, n, k), burst);
      }
      continue;
    }
    for (const blocksim::CimRound& r : p.cim.rounds) {
      ++c.rounds;
      c.chunks += std::min(p.cim.positions, p.cim.chunks);
      if (!r.program) continue;
      const int64_t tiles = int64_t(r.tile_macro.size());
      c.tiles_programmed += tiles;
      for (int64_t t = 0; t < tiles; ++t) c.bursts += bursts(share(r.program_bytes, tiles, t), burst);
    }
  }
  return c;
}

// The rule mapping on h4h-default with every CIM part's weights streamed (reprogrammed on every
// run): on a smaller CIM, layers with more tiles than it has sub-arrays run in several rounds.
Mapping streamed(const Workload& w) {
  Mapping m = resolve_mapping("rule", w, preset("h4h-default"));
  for (Placement& p : m.layers)
    if (p.on_cim()) p.weights = CimWeights::Streamed;
  return m;
}

struct Case {
  std::string name;
  HardwareSpec hw;
  std::string mapping;  // a schema, or "streamed"
};

std::vector<Case> plan_cases() {
  return {{"default/rule", preset("h4h-default"), "rule"},
          {"default/npu-only", preset("h4h-default"), "npu-only"},
          {"default/streamed", preset("h4h-default", {{"cim.reprogram", "per_inference"}}), "streamed"},
          {"1 macro x 2 sub-arrays/streamed",
           preset("h4h-default", {{"cim.macros", "1"}, {"cim.subarrays_per_macro", "2"}, {"cim.reprogram", "per_inference"}}),
           "streamed"},
          {"16x16 arrays/streamed, 48-byte bursts",
           preset("h4h-default",
                  {{"cim.rows", "16"}, {"cim.cols", "16"}, {"external.burst_bytes", "48"}, {"cim.reprogram", "per_inference"}}),
           "streamed"},
          {"u55-128 systolic/npu-only", preset("ethos-u55-128", {{"npu.engine", "systolic"}}), "npu-only"}};
}

Mapping mapping_of(const Case& c, const Workload& w) {
  return c.mapping == "streamed" ? streamed(w) : resolve_mapping(c.mapping, w, c.hw);
}

TEST(SimBudget, CountsWhatThePlanHoldsOnEveryZooModel) {
  PlanCounts all;  // the cases exercise every kind of work, several rounds per layer included
  int64_t cim_parts = 0;
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    for (const Case& c : plan_cases()) {
      const std::string what = name + " / " + c.name;
      const Mapping m = mapping_of(c, w);
      blocksim::SimPlan plan;
      std::string reason;
      ASSERT_TRUE(blocksim::build_plan(w, c.hw, m, &plan, &reason)) << what << ": " << reason;
      const PlanCounts want = count_plan(plan, c.hw);
      all.blocks += want.blocks, all.chunks += want.chunks, all.rounds += want.rounds;
      all.tiles_programmed += want.tiles_programmed, all.bursts += want.bursts;
      cim_parts += std::count_if(plan.parts.begin(), plan.parts.end(), [](const blocksim::PartJob& p) { return p.unit == Unit::Cim; });
      const SimWork got = predict_sim_work(w, c.hw, m);
      EXPECT_EQ(got.npu_blocks, want.blocks) << what;
      EXPECT_EQ(got.npu_commands, want.commands) << what;
      EXPECT_EQ(got.cim_rounds, want.rounds) << what;
      EXPECT_EQ(got.cim_chunks, want.chunks) << what;
      EXPECT_EQ(got.cim_tiles_programmed, want.tiles_programmed) << what;
      // Programming bytes are split per round before per tile: a burst per round may differ.
      EXPECT_NEAR(double(got.dma_bursts), double(want.bursts), double(want.rounds)) << what;
      EXPECT_EQ(got.events, 2 * want.blocks + 4 * want.chunks + want.tiles_programmed + got.dma_bursts) << what;
      ASSERT_EQ(got.layers.size(), w.layers.size());
      int64_t layer_events = 0;
      for (const LayerSimWork& l : got.layers) layer_events += l.events;
      EXPECT_EQ(layer_events, got.events) << what;
    }
  }
  EXPECT_GT(all.blocks, 0);
  EXPECT_GT(all.chunks, 0);
  EXPECT_GT(all.tiles_programmed, 0);
  EXPECT_GT(all.bursts, 0);
  EXPECT_GT(all.rounds, cim_parts) << "no case streams a layer in several rounds";
}

TEST(SimBudget, CyclesAreALowerBoundAndTheTraceEstimateIsWithinTwiceTheRecordedOne) {
  const Workload mobilenet = build_zoo_model("mobilenet_v2");
  const Workload deit = build_zoo_model("deit_tiny");
  const HardwareSpec def = preset("h4h-default");
  const HardwareSpec small =
      preset("h4h-default", {{"cim.macros", "1"}, {"cim.subarrays_per_macro", "4"}, {"cim.reprogram", "per_inference"}});
  struct Sim {
    std::string what;
    const Workload* w;
    HardwareSpec hw;
    Mapping m;
  };
  const std::vector<Sim> sims = {{"mobilenet_v2 / default / rule", &mobilenet, def, resolve_mapping("rule", mobilenet, def)},
                                 {"mobilenet_v2 / 1 macro x 4 / streamed", &mobilenet, small, streamed(mobilenet)},
                                 {"deit_tiny / default / rule", &deit, def, resolve_mapping("rule", deit, def)}};
  for (const Sim& s : sims) {
    const SimWork work = predict_sim_work(*s.w, s.hw, s.m);
    const test::SimOutcome out = test::simulate(*s.w, s.hw, s.m, true);
    ASSERT_TRUE(out.ok) << s.what << ": " << out.reason;
    EXPECT_LE(work.cycles, double(out.report.total_cycles)) << s.what;
    EXPECT_GT(work.cycles, 0.5 * double(out.report.total_cycles)) << s.what << ": a bound too loose to be useful";
    const double recorded = double(out.spans.size() + out.counters);
    const double predicted = work.trace_bytes / 80;  // records, at the measured 80 bytes each
    EXPECT_GE(predicted, 0.5 * recorded) << s.what;
    EXPECT_LE(predicted, 2.0 * recorded) << s.what;
  }
}

SimWork work_of(int64_t events, double cycles, double memory_mb, double trace_mb) {
  SimWork w;
  w.events = events;
  w.cycles = cycles;
  w.memory_bytes = memory_mb * 1e6;
  w.trace_bytes = trace_mb * 1e6;
  w.trace_memory_bytes = 0;
  w.layers = {{"stem", events / 4, cycles / 4}, {"fc", events - events / 4, cycles - cycles / 4}};
  return w;
}

void expect_refused(const std::string& message, const std::vector<std::string>& fragments) {
  ASSERT_FALSE(message.empty());
  for (const std::string& f : fragments) EXPECT_NE(message.find(f), std::string::npos) << "'" << f << "' not in: " << message;
}

TEST(SimBudget, EachLimitRefusesNamingItsFlagTheValueAndTheLimit) {
  SimLimits limits;
  limits.max_events = 1e6;
  limits.max_cycles = 1e9;
  limits.max_memory_mb = 100;
  limits.max_trace_mb = 10;
  EXPECT_EQ(check_sim_budget(work_of(1000000, 1e9, 100, 10), limits, true, "net on hw"), "") << "at the limits";

  expect_refused(check_sim_budget(work_of(3200000, 1e6, 10, 1), limits, false, "net on hw"),
                 {"net on hw needs ~3.2e6 simulation events (most in layer 'fc': ~2.4e6), ~3.2 s at ~1e6 events/s, "
                  "over the limit 1e6 (--max-sim-events); raise the limit with --max-sim-events N or simplify the "
                  "workload or the hardware"});
  expect_refused(check_sim_budget(work_of(10, 3.2e12, 10, 1), limits, false, "net on hw"),
                 {"at least ~3.2e12 simulated cycles (most in layer 'fc': ~2.4e12)", "over the limit 1e9 (--max-sim-cycles)",
                  "--max-sim-cycles N"});
  expect_refused(check_sim_budget(work_of(10, 1e6, 250, 1), limits, false, "net on hw"),
                 {"~250 MB of memory, over the limit 100 MB (--max-sim-memory-mb)", "--max-sim-memory-mb N"});
  expect_refused(check_sim_budget(work_of(10, 1e6, 10, 40), limits, true, "net on hw"),
                 {"a ~40 MB trace, over the limit 10 MB (--max-trace-mb)", "--max-trace-mb N", "without a trace"});
  EXPECT_EQ(check_sim_budget(work_of(10, 1e6, 10, 40), limits, false, "net on hw"), "") << "no trace recorded";
  // Several at once: each is named, and each flag.
  expect_refused(check_sim_budget(work_of(3200000, 3.2e12, 10, 1), limits, false, "net on hw"),
                 {"--max-sim-cycles)", "; and ~3.2e6 simulation events", "raise the limits with --max-sim-cycles N and "
                  "--max-sim-events N"});
  // Raised, or disabled with 0, the same work passes.
  const SimWork big = work_of(3200000, 3.2e12, 250, 40);
  SimLimits raised{4e6, 4e12, 300, 50};
  EXPECT_EQ(check_sim_budget(big, raised, true, "net on hw"), "");
  EXPECT_EQ(check_sim_budget(big, SimLimits{0, 0, 0, 0}, true, "net on hw"), "");
}

TEST(SimBudget, SystemcsClockIsALimitNoFlagRaises) {
  const std::string m = check_sim_budget(work_of(10, 2e16, 10, 1), SimLimits{0, 0, 0, 0}, false, "net on hw");
  expect_refused(m, {"at least ~2e16 simulated cycles", "beyond the 1.8e16 that SystemC's 64-bit picosecond clock",
                     "simplify the workload or the hardware"});
  EXPECT_EQ(m.find("--max-sim-cycles"), std::string::npos) << m;
}

TEST(SimBudget, AnAbsurdLayerIsRefusedByTheDefaultsWithoutBuildingAnything) {
  // Within the workload parser's limits: 2^40 MACs and a terabyte of weights.
  const Workload w = test::workload(R"({"name": "fc", "op": "linear", "tokens": 1, "in_features": 1048576,
                                        "out_features": 1048576})");
  const HardwareSpec hw = preset("h4h-default");
  const std::string m = sim_budget_problem(w, hw, resolve_mapping("npu-only", w, hw), SimLimits{}, false);
  expect_refused(m, {"case on h4h-default needs", "over the limit 1e12 (--max-sim-cycles)",
                     "~1.1e12 simulation events", "over the limit 1e9 (--max-sim-events)"});
}

TEST(SimBudget, RequireThrowsTheProblemAsAnInputErrorAfterItsContext) {
  const Workload w = test::workload(R"({"name": "fc", "op": "linear", "tokens": 1, "in_features": 1048576,
                                        "out_features": 1048576})");
  const HardwareSpec hw = preset("h4h-default");
  const Mapping m = resolve_mapping("npu-only", w, hw);
  try {
    require_sim_budget("sweep: at cim.macros=4", w, hw, m, SimLimits{}, false);
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "sweep: at cim.macros=4: " + sim_budget_problem(w, hw, m, SimLimits{}, false));
  }
  EXPECT_NO_THROW(require_sim_budget("simulate", w, hw, m, SimLimits{0, 0, 0, 0}, false)) << "0: no limits";
}

TEST(SimBudget, EveryZooModelOnEveryShippedPresetFitsTheDefaultsWithATrace) {
  for (const std::string hw_name : {"h4h-default", "ethos-u55-32", "ethos-u55-64", "ethos-u55-128", "ethos-u55-256"})
    for (const std::string engine : {"ethos-u55", "systolic"}) {
      const HardwareSpec hw = preset(hw_name, {{"npu.engine", engine}});
      for (const std::string& name : zoo_model_names()) {
        const Workload w = build_zoo_model(name);
        for (const std::string schema : {"npu-only", "rule"}) {
          const Mapping m = resolve_mapping(schema, w, hw);
          EXPECT_EQ(sim_budget_problem(w, hw, m, SimLimits{}, true), "") << name << " / " << hw_name << " / " << engine;
        }
      }
    }
}

TEST(SimBudget, SweepPointsAreTheProductOfTheValueCounts) {
  EXPECT_EQ(check_sweep_points({10, 10}, 100), "");
  EXPECT_EQ(check_sweep_points({1000, 1000, 1000}, 0), "") << "0: no limit";
  expect_refused(check_sweep_points({400, 300}, kDefaultMaxSweepPoints),
                 {"the --set values make 120000 points (400 x 300), over the limit 100000 (--max-points)",
                  "--max-points N"});
  expect_refused(check_sweep_points({100000, 100000, 100000, 100000}, 1e6), {"1e20 points"});
}

}  // namespace
}  // namespace h4h
