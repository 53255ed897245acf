// h4h sweep (--model NAME | --workload FILE) --hw FILE --set KEY=V1,V2,...
// [--set ...]
//           [--schema NAME] [--objective latency|energy|edp] --out DIR
//           [--simulate [--jobs N] [--timeout SECONDS] [--resume]]
//           [--max-points N]
//           [--max-sim-events N] [--max-sim-cycles N] [--max-sim-memory-mb MB]
// The sweep of nas/apps/sweep_run.h (its files, --simulate, the journal and
// --resume); the flags bind SweepRequest's fields. Exit codes: 2 bad input
// (what sweep_run.h lists: nothing is written); 1 every simulation failed (the
// files, with the reasons, are written) or a file could not be written (the
// message names it; the previous file stays); 0 otherwise.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "nas/apps/sweep_run.h"
#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/progress.h"
#include "nas/cli/system_options.h"

namespace h4h {

void add_sweep_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload;
    SweepRequest sweep;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd =
      app.add_subcommand("sweep", "Sweep hardware settings (e.g. CIM macros x compute units) and plot the costs");
  cmd->add_option("--model", opt->model, "zoo model name");
  cmd->add_option("--workload", opt->workload, "workload JSON file");
  cmd->add_option("--hw", opt->sweep.hw_file, "hardware YAML")->required();
  cmd->add_option("--set", opt->sweep.sets, "KEY=V1,V2,... to sweep (repeatable; one value fixes a key)")->required();
  cmd->add_option("--schema", opt->sweep.schema,
                  "mapping schema: npu-only | rule | optimal | optimal-concurrent | mapping JSON file")
      ->capture_default_str();
  cmd->add_option("--objective", opt->sweep.objective, "for the optimal schemas: latency | energy | edp")
      ->capture_default_str()
      ->check(CLI::IsMember({"latency", "energy", "edp"}));
  cmd->add_option("--out", opt->sweep.out_dir, "output directory")->required();
  CLI::Option* simulate = cmd->add_flag("--simulate", opt->sweep.simulate,
                                        "also run every point in the SystemC simulator (worker processes)");
  cmd->add_option("--jobs", opt->sweep.jobs, "with --simulate: worker processes (0: as many as cores)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1024))
      ->needs(simulate);
  cmd->add_option("--timeout", opt->sweep.timeout_s,
                  "with --simulate: give up on a point's simulation after this many seconds (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber)
      ->needs(simulate);
  cmd->add_flag("--resume", opt->sweep.resume,
                "with --simulate: continue an interrupted sweep from DIR/sweep.partial.jsonl, simulating only the "
                "points missing there (starts fresh when there is none)")
      ->needs(simulate);
  add_sweep_limit_option(cmd, opt->sweep.max_points);
  add_sim_limit_options(cmd, opt->sweep.limits, false);
  cmd->callback([&action, opt] {
    action = [opt] {
      opt->sweep.workload = resolve_workload(opt->model, opt->workload);
      std::unique_ptr<ProgressBar> bar;
      SweepProgress progress;
      progress.begin = [&](const std::string& phase, size_t total) {
        bar = std::make_unique<ProgressBar>(phase, long(total));
      };
      progress.advance = [&](const std::string& note) { bar->advance(note); };
      progress.end = [&] { bar->finish(); };
      progress.resumed = [](const std::string& journal, size_t done, size_t total) {
        std::cerr << fmt::format("sweep: resumed from {}: {} of {} points already simulated\n", journal, done, total);
      };
      const SweepOutcome out = run_sweep(opt->sweep, progress);
      std::cout << out.csv
                << fmt::format("wrote {}/sweep.{{csv,json}}{}\n", opt->sweep.out_dir,
                               out.plotted ? ", sweep.{png,svg}" : "");
      if (out.sim_failed > 0)
        std::cerr << fmt::format("sweep: {} of {} simulations failed; their reasons are in the sim_status column\n",
                                 out.sim_failed, out.points);
      return opt->sweep.simulate && out.sim_failed == out.points ? 1 : 0;
    };
  });
}

}  // namespace h4h
