// h4h search --checkpoint FILE --hw FILE [--latency-ms X] [--energy-uj Y] [--objectives acc,latency,energy]
//            [--cosearch cim.macros=1..16,cim.compute_units=1..4] [--population P] [--generations G]
//            [--seed S] [--sim-timeout SECONDS] [--max-sim-events N] [--max-sim-cycles N]
//            [--max-sim-memory-mb MB] [--max-trace-mb MB] --out DIR
// A finalist whose simulation is predicted to cross a --max-* limit (sim/blocksim/sim_budget.h) is
// dropped with the reason, unsimulated, and the next candidate promoted.
#include "nas/cli/commands.h"
#include "nas/cli/search_job.h"
#include "nas/cli/system_options.h"

namespace h4h {

void add_search_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SearchJobOptions>();
  CLI::App* cmd = app.add_subcommand(
      "search", "Evolve subnets of a trained supernet under latency / energy budgets on a system; simulate the finalists");
  cmd->add_option("--checkpoint", o->checkpoint, "a checkpoint written by h4h train (DIR/last.ckpt)")->required();
  cmd->add_option("--hw", o->hw_file, "hardware YAML (hwconfigs/*.yaml)")->required();
  cmd->add_option("--set", o->sets, "KEY=VALUE hardware override (repeatable)");
  cmd->add_option("--out", o->out_dir, "output directory (pareto.json, pareto.csv, plots, finalists/)")->required();
  cmd->add_option("--latency-ms", o->latency_ms, "latency budget in ms (0: none)");
  cmd->add_option("--energy-uj", o->energy_uj, "energy budget per inference in uJ (0: none)");
  cmd->add_option("--max-macros", o->max_macros, "CIM macro budget in a co-search (0: none)");
  cmd->add_option("--objectives", o->objectives, "acc,latency,energy[,macros]")->capture_default_str();
  cmd->add_option("--cosearch", o->cosearch, "hardware genes, e.g. cim.macros=1..16,cim.compute_units=1..4");
  cmd->add_option("--algorithm", o->algorithm, "nsga2 | evolution (constrained, best accuracy) | random")
      ->capture_default_str();
  cmd->add_option("--blocks", o->blocks, "hybrid | cnn | transformer: block types the search may use")
      ->capture_default_str();
  cmd->add_option("--population", o->population, "candidates per generation")->capture_default_str();
  cmd->add_option("--generations", o->generations, "generations")->capture_default_str();
  cmd->add_option("--mutate-prob", o->mutate_prob, "per-gene mutation probability")->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the search and of the BN recalibration batches")->capture_default_str();
  cmd->add_option("--finalists", o->finalists, "front members re-simulated in SystemC")->capture_default_str();
  cmd->add_option("--mapping", o->mapping, "mapping per candidate: schema or file")->capture_default_str();
  cmd->add_option("--objective", o->mapping_objective, "what the optimal mapping minimises: latency | energy | edp")
      ->capture_default_str();
  cmd->add_option("--val-images", o->val_images, "score on the first N validation images (0: all)")
      ->capture_default_str();
  cmd->add_option("--bn-batches", o->bn_batches, "training batches for BN recalibration")->capture_default_str();
  cmd->add_option("--batch-size", o->batch_size, "evaluation batch")->capture_default_str();
  cmd->add_option("--threads", o->threads, "intra-op threads (0: every core)")->capture_default_str();
  cmd->add_option("--device", o->device, "cpu | cuda")->capture_default_str();
  cmd->add_option("--sim-workers", o->sim_workers, "parallel simulations (0: every core)")->capture_default_str();
  cmd->add_option("--sim-timeout", o->sim_timeout_s, "seconds per finalist simulation")->capture_default_str();
  add_sim_limit_options(cmd, o->sim_limits, true);
  cmd->callback([&action, o] { action = [o] { return run_search_job(*o); }; });
}

}  // namespace h4h
