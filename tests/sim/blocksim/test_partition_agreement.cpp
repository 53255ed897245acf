// Issue 4: every mapping the partitioner emits (schemas optimal and optimal-concurrent, objectives
// latency, energy and edp), re-simulated in SystemC, agrees with the estimator's cost for it within
// 0.5 % (the README's figure): latency, energy and the objective itself. On every zoo model and
// random nasvit subnets on h4h-default, and on systems with little MRAM (weights streamed, in
// rounds) or many macros. Each simulation runs in a forked child (SystemC elaborates once per
// process), two at a time.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "sim/core/sram_allocator.h"
#include "models/zoo/zoo.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/partitioner.h"
#include "sim/map/schemas.h"
#include "tests/support/sim_child.h"
#include "tests/support/sim_inputs.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

constexpr double kTolerancePct = 0.5;  // the README states it; the worst measured was 0.36 %

using test::preset;

struct Run {
  std::string label;
  const Workload* workload;
  const HardwareSpec* hw;
  Objective objective;
  Mapping mapping;
  CostReport estimated;
};

double objective_of(double cycles, double energy, Objective o) {
  return o == Objective::Latency ? cycles : o == Objective::Energy ? energy : cycles * energy;
}

double error_pct(double est, double sim) { return 100.0 * (est - sim) / sim; }

// Partitions, estimates and re-simulates every (workload, system, schema, objective).
void expect_agreement(const std::vector<std::pair<std::string, Workload>>& workloads,
                      const std::vector<std::pair<std::string, HardwareSpec>>& systems) {
  std::vector<Run> runs;
  for (const auto& [hw_label, hw] : systems)
    for (const auto& [name, w] : workloads)
      for (const char* schema : {"optimal", "optimal-concurrent"})
        for (Objective o : {Objective::Latency, Objective::Energy, Objective::EnergyDelay}) {
          Run r{name + " / " + hw_label + " / " + schema + " / " + objective_name(o), &w, &hw, o, {}, {}};
          r.mapping = resolve_mapping(schema, w, hw, objective_name(o));
          AnalyticalEvaluator estimator;
          const EvalResult e = estimator.evaluate(w, hw, r.mapping);
          ASSERT_TRUE(e.ok) << r.label << ": " << e.reason;
          r.estimated = e.report;
          runs.push_back(std::move(r));
        }
  std::vector<ChildJob> jobs;
  for (const Run& r : runs)
    jobs.push_back([&r] {
      BlockSimEvaluator sim;
      return test::outcome_to_json(sim.evaluate(*r.workload, *r.hw, r.mapping), *r.workload, *r.hw, r.mapping, nullptr);
    });
  const std::vector<ChildResult> results = run_pool(jobs, 2, 300);
  std::printf("\n%-66s %8s %8s %8s\n", "workload / system / schema / objective", "lat %", "energy %", "obj %");
  double worst = 0;
  for (size_t i = 0; i < runs.size(); ++i) {
    const Run& r = runs[i];
    ASSERT_TRUE(results[i].ok) << r.label << ": " << results[i].error;
    const test::SimOutcome sim = test::outcome_from_json(results[i].output, *r.workload);
    ASSERT_TRUE(sim.ok) << r.label << ": " << sim.reason;
    const double sim_energy = sim.report.energy.total_pj() + sim.report.static_energy_pj;
    const double latency = error_pct(double(r.estimated.total_cycles), double(sim.report.total_cycles));
    const double energy = error_pct(r.estimated.energy_pj(), sim_energy);
    const double objective = error_pct(objective_of(double(r.estimated.total_cycles), r.estimated.energy_pj(), r.objective),
                                       objective_of(double(sim.report.total_cycles), sim_energy, r.objective));
    std::printf("%-66s %+8.3f %+8.3f %+8.3f\n", r.label.c_str(), latency, energy, objective);
    EXPECT_LE(std::fabs(latency), kTolerancePct) << r.label;
    EXPECT_LE(std::fabs(energy), kTolerancePct) << r.label;
    EXPECT_LE(std::fabs(objective), kTolerancePct) << r.label;
    worst = std::max({worst, std::fabs(latency), std::fabs(energy), std::fabs(objective)});
  }
  std::printf("worst |error| %.3f%% over %zu mappings\n", worst, runs.size());
}

TEST(PartitionAgreement, EveryPartitionerMappingOfTheZooAgreesWithTheSimulatorWithinHalfAPercent) {
  std::vector<std::pair<std::string, Workload>> workloads;
  for (const std::string& name : zoo_model_names()) workloads.emplace_back(name, build_zoo_model(name));
  expect_agreement(workloads, {{"h4h-default", preset("h4h-default")}});
}

TEST(PartitionAgreement, RandomSubnetsAgreeWithinHalfAPercent) {
  const SearchSpace space = load_search_space(test::source_dir() + "/models/spaces/nasvit-imagenet.yaml");
  Rng rng(11);
  std::vector<std::pair<std::string, Workload>> workloads;
  const HardwareSpec hw = preset("h4h-default");
  for (int i = 0; int(workloads.size()) < 3; ++i) {
    const std::string name = "subnet" + std::to_string(i);
    Workload w = arch_to_workload(random_arch(space, rng), space, name);
    if (allocate_activations(w, hw).ok) workloads.emplace_back(name, std::move(w));  // others cannot run on it
  }
  expect_agreement(workloads, {{"h4h-default", preset("h4h-default")}});
}

// Little MRAM: the partitioner streams weights (and the residency plan leaves room for them); many
// macros: more parallel tiles, shorter CIM layers, more overlap on the timeline.
TEST(PartitionAgreement, SmallAndLargeCimSystemsAgreeWithinHalfAPercent) {
  std::vector<std::pair<std::string, Workload>> workloads;
  for (const char* name : {"mobilenet_v2", "deit_tiny"}) workloads.emplace_back(name, build_zoo_model(name));
  expect_agreement(workloads, {{"8 sub-arrays/macro", preset("h4h-default", {{"cim.subarrays_per_macro", "8"}})},
                               {"16 macros, 1 unit", preset("h4h-default", {{"cim.macros", "16"}, {"cim.compute_units", "1"}})}});
}

}  // namespace
}  // namespace h4h
