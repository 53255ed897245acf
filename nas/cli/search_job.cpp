#include "nas/cli/search_job.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "nas/apps/search_budget.h"
#include "nas/apps/search_outputs.h"
#include "nas/apps/search_resume.h"
#include "nas/cli/progress.h"
#include "nas/cli/table.h"
#include "nas/cli/train_plugin.h"
#include "nas/dist/communicator.h"

namespace h4h {

namespace {

std::string generation_line(const SearchRun& run, int generations) {
  const GenerationRecord& r = run.history().back();
  std::string best = "none within budget yet";
  for (size_t i : run.front()) {
    const Evaluated& e = run.archive()[i];
    if (e.scores.accuracy == r.best_accuracy)
      best = fmt::format("best {:.2f}% at {:.4g} ms, {:.4g} uJ", 100 * e.scores.accuracy, e.scores.latency_ms,
                         e.scores.energy_uj);
  }
  return fmt::format("generation {}/{}: {} evaluated, front {}, hypervolume {:.6g}, {}", r.generation, generations,
                     r.evaluations, r.front_size, r.hypervolume, best);
}

std::string finalists_table(const FinalistSelection& s) {
  TextTable t({"rank", "top-1 %", "transformers", "MMACs", "macros", "est ms", "sim ms", "est uJ", "sim uJ"});
  for (size_t r = 0; r < s.finalists.size(); ++r) {
    const Finalist& f = s.finalists[r];
    t.add_row({std::to_string(r + 1), fmt::format("{:.2f}", 100 * f.candidate.scores.accuracy),
               std::to_string(f.candidate.candidate.arch.transformer_blocks()),
               fmt::format("{:.2f}", double(f.simulated.macs()) / 1e6), std::to_string(f.hw.cim.macros),
               fmt::format("{:.4f}", f.candidate.scores.latency_ms), fmt::format("{:.4f}", f.sim_latency_ms),
               fmt::format("{:.3f}", f.candidate.scores.energy_uj), fmt::format("{:.3f}", f.sim_energy_uj)});
  }
  return t.render();
}

}  // namespace

int run_search_job(const SearchJobOptions& o) {
  check_search_options(o);
  const std::vector<SearchObjective> objectives = parse_objectives(o.objectives);
  const GeneRanges genes = parse_gene_ranges(o.cosearch);
  const BlockFamily family = parse_block_family(o.blocks);
  std::vector<Override> overrides;
  for (const std::string& s : o.sets) overrides.push_back(parse_override(s));

  const SearchSpace space = train_plugin().read_checkpoint_space(o.checkpoint);
  EstimatedCost cost(space, o.hw_file, overrides, o.mapping, o.mapping_objective);
  check_genes(cost, genes);
  Budgets budgets;
  budgets.latency_ms = o.latency_ms, budgets.energy_uj = o.energy_uj, budgets.cim_macros = o.max_macros;
  check_budgets(budgets, achievable_floor(space, family, genes, cost), o.hw_file);

  SearchSetup setup;
  setup.space = &space;
  setup.genes = genes;
  setup.family = family;
  setup.objectives = objectives;
  setup.budgets = budgets;
  setup.population = o.population;
  setup.mutate_prob = o.mutate_prob;
  setup.seed = o.seed;

  ScorerOptions so;
  so.checkpoint = o.checkpoint;
  so.max_images = o.val_images;
  so.batch_size = o.batch_size;
  so.bn_batches = o.bn_batches;
  so.seed = o.seed;
  dist::Communicator& comm = dist::Communicator::world();
  so.threads = o.threads > 0 ? o.threads : dist::cores_per_rank(comm);
  so.device = o.device;
  ProgressBar bar("search", long(o.generations) * o.population);
  int64_t scored = 0;
  std::unique_ptr<SubnetScorer> scorer;
  SearchOracles oracles;
  oracles.hw_cost = [&cost](const Candidate& c) { return cost(c); };
  // Under mpirun rank r scores architectures r, r + P, ...; every rank then holds every score, and
  // the search proceeds identically on all of them.
  oracles.accuracy = [&](const std::vector<ArchConfig>& archs) {
    std::vector<double> out(archs.size(), 0.0);
    for (size_t i = size_t(comm.rank()); i < archs.size(); i += size_t(comm.size())) {
      out[i] = scorer->top1(archs[i]);
      bar.set(long(scored + int64_t(i) + 1), fmt::format("top-1 {:.2f}%", 100 * out[i]));
    }
    comm.sum(out.data(), out.size());
    scored += int64_t(archs.size());
    return out;
  };
  SearchRun run(o.algorithm, setup, oracles);
  run.set_context(search_context(o));

  const std::string state_file = search_state_path(o.out_dir);
  if (resume_search(run, state_file)) {
    scored = run.accuracy_evaluations();
    std::cout << fmt::format("resumed {} at generation {}/{} ({} evaluated)", state_file, run.generation(),
                             o.generations, scored)
              << std::endl;
  }
  scorer = train_plugin().open_scorer(so);
  std::filesystem::create_directories(o.out_dir);
  std::cout << fmt::format("search: {} over {} ({} blocks), {} x {} generations, objectives {}, validation on {} images",
                           o.algorithm, space.name, block_family_name(family), o.population, o.generations,
                           o.objectives, scorer->split_size())
            << std::endl;

  while (run.generation() < o.generations) {
    run.run_generation();
    if (comm.root()) save_search_state(run, state_file);
    bar.set(long(scored));
    if (::isatty(2)) std::cerr << "\n";  // keep the redrawn bar's line above the generation line
    std::cout << generation_line(run, o.generations) << std::endl;
  }
  bar.finish();

  ProgressBar sim_bar("simulate", o.finalists);
  const FinalistSelection selection = select_finalists(
      run, cost, budgets, o.finalists, o.sim_workers, o.sim_timeout_s, o.sim_limits,
      [&](size_t done, size_t) { sim_bar.set(long(std::min<size_t>(done, size_t(o.finalists)))); });
  sim_bar.finish();
  for (const DroppedCandidate& d : selection.dropped)
    std::cout << fmt::format("dropped {}: {}", candidate_key(d.candidate.candidate), d.reason) << std::endl;

  SearchOutputContext out;
  out.out_dir = o.out_dir;
  out.checkpoint = o.checkpoint;
  out.hw_file = o.hw_file;
  out.mapping = o.mapping;
  out.run = &run;
  out.selection = &selection;
  out.save_subnet = [&](const ArchConfig& a, const std::string& path) { scorer->save_subnet(a, path); };
  if (comm.root()) write_search_outputs(out);

  std::cout << finalists_table(selection) << fmt::format("wrote {}/pareto.json, pareto.csv, history.csv, plots and {} finalist folders\n",
                                                         o.out_dir, selection.finalists.size());
  if (selection.finalists.empty()) {
    std::cerr << "search: no candidate met the budgets in simulation\n";
    return 1;
  }
  return 0;
}

}  // namespace h4h
