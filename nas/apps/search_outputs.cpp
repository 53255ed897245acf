#include "nas/apps/search_outputs.h"

#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/space/arch_workload.h"
#include "nas/apps/gnuplot.h"
#include "nas/apps/simulate_child.h"
#include "sim/core/file_io.h"
#include "sim/core/workload_json.h"

namespace h4h {

using nlohmann::json;

namespace {

json costs(double latency_ms, double energy_uj) { return {{"latency_ms", latency_ms}, {"energy_pj", energy_uj * 1e6}}; }

json hw_json(const HardwareSpec& hw, const std::string& file) {
  return {{"file", file}, {"name", hw.name}, {"cim.macros", hw.cim.macros}, {"cim.compute_units", hw.cim.compute_units}};
}

std::string finalist_dir(size_t rank) { return fmt::format("finalists/{:02d}", rank); }

json finalist_json(const Finalist& f, size_t rank, const SearchOutputContext& c) {
  const SearchSpace& space = *c.run->setup().space;
  const ArchConfig& arch = f.candidate.candidate.arch;
  const WorkloadTotals totals = count_workload(f.workload);
  return {{"rank", rank},
          {"key", candidate_key(f.candidate.candidate)},
          {"arch", arch_to_json(arch, space)},
          {"transformer_blocks", arch.transformer_blocks()},
          {"macs", totals.macs},
          {"params", totals.params},
          {"hw", hw_json(f.hw, c.hw_file)},
          {"mapping", mapping_to_json(f.mapping, f.workload)},
          {"accuracy", f.candidate.scores.accuracy},
          {"estimated", costs(f.candidate.scores.latency_ms, f.candidate.scores.energy_uj)},
          {"simulated", costs(f.sim_latency_ms, f.sim_energy_uj)},
          {"dir", finalist_dir(rank)}};
}

void write_finalist_files(const Finalist& f, size_t rank, const SearchOutputContext& c) {
  const std::string dir = c.out_dir + "/" + finalist_dir(rank);
  std::filesystem::create_directories(dir);
  const SearchSpace& space = *c.run->setup().space;
  write_file_atomic(dir + "/arch.json", arch_to_json(f.candidate.candidate.arch, space).dump(1) + "\n");
  write_file_atomic(dir + "/hw.json", hw_json(f.hw, c.hw_file).dump(1) + "\n");
  write_file_atomic(dir + "/workload.json", workload_to_json(f.workload).dump(1) + "\n");
  write_file_atomic(dir + "/mapping.json", mapping_to_json(f.mapping, f.workload).dump(1) + "\n");
  write_file_atomic(dir + "/report.json", report_to_json(f.simulated, f.workload, f.hw, f.mapping).dump(1) + "\n");
  write_file_atomic(dir + "/layers.csv", report_to_csv(f.simulated, f.workload));
  write_file_atomic(dir + "/trace.json", f.trace_json);
  if (c.save_subnet) c.save_subnet(f.candidate.candidate.arch, dir + "/subnet.pt");
}

std::string front_csv(const SearchOutputContext& c) {
  const SearchRun& run = *c.run;
  std::string csv = "key,accuracy,latency_ms,energy_uj,cim_macros,cim_compute_units,transformer_blocks,macs,"
                    "finalist_rank,sim_latency_ms,sim_energy_uj\n";
  for (size_t i : run.front()) {
    const Evaluated& e = run.archive()[i];
    const std::string key = candidate_key(e.candidate);
    std::string rank, sim_lat, sim_en;
    for (size_t r = 0; r < c.selection->finalists.size(); ++r) {
      const Finalist& f = c.selection->finalists[r];
      if (candidate_key(f.candidate.candidate) != key) continue;
      rank = std::to_string(r + 1);
      sim_lat = fmt::format("{:.9g}", f.sim_latency_ms);
      sim_en = fmt::format("{:.9g}", f.sim_energy_uj);
    }
    const Workload w = arch_to_workload(e.candidate.arch, *run.setup().space);
    csv += fmt::format("{},{:.6f},{:.9g},{:.9g},{},{},{},{},{},{},{}\n", key, e.scores.accuracy, e.scores.latency_ms,
                       e.scores.energy_uj, e.scores.cim_macros, e.candidate.hw.cim_compute_units,
                       e.candidate.arch.transformer_blocks(), count_workload(w).macs, rank, sim_lat, sim_en);
  }
  return csv;
}

std::string history_csv(const SearchRun& run) {
  std::string csv = "generation,evaluations,archive_size,front_size,hypervolume,best_accuracy\n";
  for (const GenerationRecord& r : run.history())
    csv += fmt::format("{},{},{},{},{:.9g},{:.6f}\n", r.generation, r.evaluations, r.archive_size, r.front_size,
                       r.hypervolume, r.best_accuracy);
  return csv;
}

// Accuracy (%) against latency and energy: everything scored, the front, the finalists.
void plot_pareto(const SearchOutputContext& c) {
  const SearchRun& run = *c.run;
  std::string all = "# latency_ms energy_uj top1_pct within_budget\n", front = all, fin = "# est_latency est_energy top1 sim_latency sim_energy\n";
  for (const Evaluated& e : run.archive())
    all += fmt::format("{:.9g} {:.9g} {:.4f} {}\n", e.scores.latency_ms, e.scores.energy_uj, 100 * e.scores.accuracy,
                       e.violation == 0 ? 1 : 0);
  std::vector<size_t> f = run.front();
  std::sort(f.begin(), f.end(), [&](size_t a, size_t b) { return run.archive()[a].scores.latency_ms < run.archive()[b].scores.latency_ms; });
  for (size_t i : f) {
    const Evaluated& e = run.archive()[i];
    front += fmt::format("{:.9g} {:.9g} {:.4f} 1\n", e.scores.latency_ms, e.scores.energy_uj, 100 * e.scores.accuracy);
  }
  for (const Finalist& x : c.selection->finalists)
    fin += fmt::format("{:.9g} {:.9g} {:.4f} {:.9g} {:.9g}\n", x.candidate.scores.latency_ms,
                       x.candidate.scores.energy_uj, 100 * x.candidate.scores.accuracy, x.sim_latency_ms, x.sim_energy_uj);
  write_file_atomic(c.out_dir + "/plot_scored.tsv", all);
  write_file_atomic(c.out_dir + "/plot_front.tsv", front);
  write_file_atomic(c.out_dir + "/plot_finalists.tsv", fin);
  std::string body = "set grid\nset key bottom right\nset multiplot layout 1,2 title 'search: accuracy against cost'\n";
  const char* names[2] = {"latency (ms)", "energy (uJ)"};
  for (int panel = 0; panel < 2; ++panel) {
    const int x = panel + 1, sim = panel + 4;
    body += fmt::format(
        "set xlabel 'estimated {1}'\nset ylabel 'validation top-1 (%)'\n"
        "plot '{0}/plot_scored.tsv' using {2}:($4 == 1 ? $3 : 1/0) with points pt 7 ps 0.4 lc rgb '#bbbbbb' title 'scored',"
        " '{0}/plot_scored.tsv' using {2}:($4 == 0 ? $3 : 1/0) with points pt 1 ps 0.4 lc rgb '#dd9999' title 'over budget',"
        " '{0}/plot_front.tsv' using {2}:3 with linespoints pt 7 ps 0.7 lc rgb '#1f77b4' title 'front',"
        " '{0}/plot_finalists.tsv' using {2}:3 with points pt 6 ps 2 lw 2 lc rgb '#d62728' title 'finalists (estimated)',"
        " '{0}/plot_finalists.tsv' using {3}:3 with points pt 2 ps 2 lw 2 lc rgb '#2ca02c' title 'finalists (simulated)'\n",
        c.out_dir, names[panel], x, sim);
  }
  body += "unset multiplot\n";
  render_plot(c.out_dir + "/pareto", 1300, 560, body, "search");
}

// The front after each generation (accuracy against latency) and the hypervolume per generation.
void plot_fronts(const SearchOutputContext& c) {
  const SearchRun& run = *c.run;
  std::string data;
  for (const GenerationRecord& r : run.history()) {
    std::vector<size_t> f = run.front(r.archive_size);
    std::sort(f.begin(), f.end(), [&](size_t a, size_t b) { return run.archive()[a].scores.latency_ms < run.archive()[b].scores.latency_ms; });
    data += fmt::format("# generation {}\n", r.generation);
    for (size_t i : f)
      data += fmt::format("{:.9g} {:.4f}\n", run.archive()[i].scores.latency_ms, 100 * run.archive()[i].scores.accuracy);
    data += "\n\n";
  }
  write_file_atomic(c.out_dir + "/plot_fronts.tsv", data);
  const int n = int(run.history().size());
  const std::string body = fmt::format(
      "set grid\nset multiplot layout 1,2 title 'search progress'\n"
      "set xlabel 'estimated latency (ms)'\nset ylabel 'validation top-1 (%)'\nset key bottom right\n"
      "set palette defined (0 '#c6dbef', 1 '#08306b')\nset cbrange [1:{1}]\nset cblabel 'generation'\nunset colorbox\n"
      "plot for [g=0:{2}] '{0}/plot_fronts.tsv' index g using 1:2:(g+1) with lines lc palette lw (g == {2} ? 2.5 : 1) "
      "title (g == 0 || g == {2} ? sprintf('generation %d', g+1) : '')\n"
      "set xlabel 'generation'\nset ylabel 'hypervolume of the front'\nset key off\nset datafile separator ','\n"
      "plot '{0}/history.csv' using 1:5 every ::1 with linespoints pt 7 lc rgb '#1f77b4'\n"
      "unset multiplot\n",
      c.out_dir, std::max(n, 2), n - 1);
  render_plot(c.out_dir + "/fronts", 1300, 560, body, "search");
}

}  // namespace

json pareto_document(const SearchOutputContext& c) {
  const SearchRun& run = *c.run;
  json finalists = json::array(), dropped = json::array(), front = json::array();
  for (size_t r = 0; r < c.selection->finalists.size(); ++r)
    finalists.push_back(finalist_json(c.selection->finalists[r], r + 1, c));
  for (const DroppedCandidate& d : c.selection->dropped)
    dropped.push_back({{"key", candidate_key(d.candidate.candidate)}, {"accuracy", d.candidate.scores.accuracy},
                       {"reason", d.reason}});
  for (size_t i : run.front()) {
    const Evaluated& e = run.archive()[i];
    json j = evaluated_to_json(e, *run.setup().space);
    j["key"] = candidate_key(e.candidate);
    j["transformer_blocks"] = e.candidate.arch.transformer_blocks();
    front.push_back(j);
  }
  const GenerationRecord last = run.history().empty() ? GenerationRecord{} : run.history().back();
  return {{"version", 1},
          {"search", run.fingerprint()},
          {"checkpoint", c.checkpoint},
          {"hw", c.hw_file},
          {"mapping", c.mapping},
          {"generations", last.generation},
          {"evaluations", last.evaluations},
          {"hypervolume", last.hypervolume},
          {"reference", run.reference()},
          {"finalists", finalists},
          {"dropped", dropped},
          {"front", front}};
}

void write_search_outputs(const SearchOutputContext& c) {
  for (size_t r = 0; r < c.selection->finalists.size(); ++r) write_finalist_files(c.selection->finalists[r], r + 1, c);
  write_file_atomic(c.out_dir + "/pareto.csv", front_csv(c));
  write_file_atomic(c.out_dir + "/history.csv", history_csv(*c.run));
  write_file_atomic(c.out_dir + "/pareto.json", pareto_document(c).dump(1) + "\n");
  if (gnuplot_available("search")) {
    plot_pareto(c);
    plot_fronts(c);
  }
}

}  // namespace h4h
