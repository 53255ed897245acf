#include "nas/cli/search_job.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/space/sampling.h"
#include "nas/cli/progress.h"
#include "nas/cli/search_outputs.h"
#include "nas/cli/table.h"
#include "nas/cli/train_plugin.h"
#include "nas/dist/communicator.h"
#include "nas/search/estimated_cost.h"
#include "nas/search/search_run.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

using nlohmann::json;

namespace {

void check_options(const SearchJobOptions& o) {
  if (o.population < 2) throw InputError("--population: expected at least 2");
  if (o.generations < 1) throw InputError("--generations: expected at least 1");
  if (o.finalists < 1) throw InputError("--finalists: expected at least 1");
  if (o.latency_ms < 0) throw InputError("--latency-ms: expected a positive budget");
  if (o.energy_uj < 0) throw InputError("--energy-uj: expected a positive budget");
  if (o.max_macros < 0) throw InputError("--max-macros: expected a positive budget");
  if (o.mutate_prob < 0 || o.mutate_prob > 1) throw InputError("--mutate-prob: expected a value in [0, 1]");
  if (o.val_images < 0) throw InputError("--val-images: expected >= 0");
  const auto names = strategy_names();
  if (std::find(names.begin(), names.end(), o.algorithm) == names.end())
    throw InputError("--algorithm: expected nsga2, evolution or random, got '" + o.algorithm + "'");
}

// Every value of the co-search genes must be a valid hardware setting (InputError names the key).
void check_genes(EstimatedCost& cost, const GeneRanges& genes) {
  for (int m : genes.cim_macros) cost.hardware(HwGenes{m, 0});
  for (int u : genes.cim_compute_units) cost.hardware(HwGenes{0, u});
}

// The least latency, energy and macro count any candidate of the family reaches, by the smallest
// subnets on every gene setting and a sample of random ones: a budget below them is refused.
struct Floor {
  double latency_ms = 1e300, energy_uj = 1e300;
  int cim_macros = 1 << 30;
  std::string latency_where, energy_where;
};

Floor achievable_floor(const SearchSpace& space, BlockFamily family, const GeneRanges& genes, EstimatedCost& cost) {
  Rng rng(0);
  std::vector<ArchConfig> archs{restrict_blocks(smallest_arch(space), space, family, rng)};
  for (int i = 0; i < 64; ++i) archs.push_back(restrict_blocks(random_arch(space, rng), space, family, rng));
  std::vector<int> macros = genes.cim_macros, units = genes.cim_compute_units;
  if (macros.empty()) macros = {0};
  if (units.empty()) units = {0};
  Floor f;
  for (int m : macros)
    for (int u : units)
      for (size_t i = 0; i < archs.size(); ++i) {
        if (i > 0 && (m != macros.front() || u != units.front())) break;  // random archs on one setting only
        const Candidate c{archs[i], HwGenes{m, u}};
        const Scores s = cost(c);
        if (!s.hw_ok) continue;
        if (s.latency_ms < f.latency_ms) f.latency_ms = s.latency_ms, f.latency_where = candidate_key(c);
        if (s.energy_uj < f.energy_uj) f.energy_uj = s.energy_uj, f.energy_where = candidate_key(c);
        f.cim_macros = std::min(f.cim_macros, s.cim_macros);
      }
  return f;
}

void check_budgets(const SearchJobOptions& o, const Floor& f) {
  if (o.latency_ms > 0 && o.latency_ms < f.latency_ms)
    throw InputError(fmt::format("--latency-ms {}: infeasible on {}: the smallest achievable latency is {:.6g} ms ({})",
                                 o.latency_ms, o.hw_file, f.latency_ms, f.latency_where));
  if (o.energy_uj > 0 && o.energy_uj < f.energy_uj)
    throw InputError(fmt::format("--energy-uj {}: infeasible on {}: the smallest achievable energy is {:.6g} uJ ({})",
                                 o.energy_uj, o.hw_file, f.energy_uj, f.energy_where));
  if (o.max_macros > 0 && o.max_macros < f.cim_macros)
    throw InputError(fmt::format("--max-macros {}: infeasible: every system searched has at least {} CIM macros",
                                 o.max_macros, f.cim_macros));
}

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

// The inputs a saved search state must share to be resumed: the supernet (path, size and time of the
// checkpoint, so a retrained one is not mixed in), the hardware and the scoring options.
json search_context(const SearchJobOptions& o) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(o.checkpoint, ec);
  const auto time = std::filesystem::last_write_time(o.checkpoint, ec);
  return {{"checkpoint", o.checkpoint},
          {"checkpoint_bytes", ec ? 0 : int64_t(size)},
          {"checkpoint_time", ec ? 0 : int64_t(time.time_since_epoch().count())},
          {"hw", o.hw_file},
          {"set", o.sets},
          {"mapping", o.mapping},
          {"mapping_objective", o.mapping_objective},
          {"val_images", o.val_images},
          {"bn_batches", o.bn_batches},
          {"batch_size", o.batch_size}};
}

}  // namespace

int run_search_job(const SearchJobOptions& o) {
  check_options(o);
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
  check_budgets(o, achievable_floor(space, family, genes, cost));

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

  const std::string state_file = o.out_dir + "/search_state.json";
  if (std::filesystem::exists(state_file)) {
    json state;
    try {
      state = json::parse(read_text_file(state_file));
    } catch (const json::exception& e) {
      throw InputError(state_file + ": not a search state (" + e.what() + "); remove it or use another --out");
    }
    run.load(state, state_file);
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
    if (comm.root()) write_file_atomic(state_file, run.save().dump() + "\n");
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
