// h4h bench: full analytical evaluations per second (mapping schema + estimator) on one core; with
// --simulate also one SystemC simulation of the same point, as simulated cycles per wall second and
// the simulator/estimator time ratio measured in the same run.
#include <chrono>
#include <iostream>

#include <fmt/format.h>

#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"
#include "sim/blocksim/block_sim_evaluator.h"
#include "sim/simulate/cycle_evaluator.h"

namespace h4h {

void add_bench_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model = "nasvit_a0", hw = "hwconfigs/h4h-default.yaml", mapping = "rule", fidelity = "cycle";
    std::vector<std::string> sets;
    double seconds = 2.0;
    bool simulate = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("bench", "Measure full estimator evaluations per second (one thread)");
  cmd->add_option("--model", opt->model, "zoo model or workload file")->capture_default_str();
  cmd->add_option("--hw", opt->hw, "hardware YAML")->capture_default_str();
  cmd->add_option("--set", opt->sets, "override a hardware key (repeatable)");
  cmd->add_option("--mapping", opt->mapping, "schema name or mapping file")->capture_default_str();
  cmd->add_option("--seconds", opt->seconds, "how long to measure")->capture_default_str()->check(CLI::Range(0.1, 600.0));
  cmd->add_flag("--simulate", opt->simulate, "also time one SystemC simulation (elaborates once, in this process)");
  cmd->add_option("--fidelity", opt->fidelity, "the simulator --simulate times: cycle | block")
      ->capture_default_str()
      ->check(CLI::IsMember({"cycle", "block"}));
  cmd->callback([&action, opt] {
    action = [opt] {
      const Workload w = resolve_workload(opt->model, "");
      const HardwareSpec hw = resolve_hardware(opt->hw, opt->sets);
      AnalyticalEvaluator evaluator;
      using clock = std::chrono::steady_clock;
      long evaluations = 0;
      int64_t checksum = 0;
      const auto start = clock::now();
      double elapsed = 0;
      while (elapsed < opt->seconds) {
        for (int i = 0; i < 64; ++i) {
          Mapping m = resolve_mapping(opt->mapping, w, hw);
          EvalResult r = evaluator.evaluate(w, hw, m);
          checksum += r.report.total_cycles;
          ++evaluations;
        }
        elapsed = std::chrono::duration<double>(clock::now() - start).count();
      }
      std::cout << fmt::format("{} on {} with mapping {}: {} evaluations in {:.3f} s = {:.0f} evaluations/s "
                               "({:.2f} us each, {} layers; checksum {})\n",
                               w.name, hw.name, opt->mapping, evaluations, elapsed, evaluations / elapsed,
                               1e6 * elapsed / evaluations, w.layers.size(), checksum / evaluations);
      if (!opt->simulate) return 0;
      const Mapping m = resolve_mapping(opt->mapping, w, hw);
      const auto sim_start = clock::now();
      EvalResult sim;
      if (opt->fidelity == "block") {
        BlockSimEvaluator simulator;
        sim = simulator.evaluate(w, hw, m);
      } else {
        CycleSimEvaluator simulator;
        sim = simulator.evaluate(w, hw, m);
      }
      const double sim_seconds = std::chrono::duration<double>(clock::now() - sim_start).count();
      if (!sim.ok) throw std::runtime_error("simulation failed: " + sim.reason);
      const double estimate_seconds = elapsed / evaluations;
      std::cout << fmt::format("simulation ({} fidelity): {} cycles in {:.3f} s wall = {:.3g} simulated cycles/s; "
                               "simulator/estimator time ratio {:.0f}\n",
                               opt->fidelity, sim.report.total_cycles, sim_seconds, sim.report.total_cycles / sim_seconds,
                               sim_seconds / estimate_seconds);
      return 0;
    };
  });
}

}  // namespace h4h
