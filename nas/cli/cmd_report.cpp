// h4h report --hw FILE [--models all|a,b] [--mappings npu-only,rule] --out DIR
// Estimates each zoo model under each mapping schema and writes, all atomically:
//   DIR/summary.csv, DIR/summary.json, DIR/summary.md, DIR/runs/<model>.<mapping>.json,
//   DIR/latency_energy.{png,svg} (gnuplot, when installed).
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/zoo/zoo.h"
#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/progress.h"
#include "nas/cli/table.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"

namespace h4h {

namespace {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

void make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::runtime_error(path + ": cannot create directory: " + std::strerror(errno));
}

// Renders latency and energy per model as clustered bars (one bar per mapping) with gnuplot when it
// is installed; returns false (and says why) otherwise. `table` is model x mapping x {ms, uJ}.
bool plot_latency_energy(const std::string& dir, const std::vector<std::string>& models,
                         const std::vector<std::string>& mappings, const std::vector<std::vector<std::pair<double, double>>>& table) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::cerr << "report: gnuplot not found, skipping plots (scripts/setup.sh installs it)\n";
    return false;
  }
  std::string data = "model";
  for (const auto& m : mappings) data += "\t" + m;
  for (const auto& m : mappings) data += "\t" + m;
  data += "\n";
  for (size_t i = 0; i < models.size(); ++i) {
    data += models[i];
    for (const auto& v : table[i]) data += fmt::format("\t{:.6g}", v.first);
    for (const auto& v : table[i]) data += fmt::format("\t{:.6g}", v.second);
    data += "\n";
  }
  write_file_atomic(dir + "/plot_data.tsv", data);
  const size_t n = mappings.size();
  for (const char* term : {"png", "svg"}) {
    const std::string out = fmt::format("{}/latency_energy.{}", dir, term);
    const std::string script = fmt::format(
        "set terminal {} size 1200,500 noenhanced\nset output '{}.tmp'\nset datafile separator '\\t'\n"
        "set style data histograms\nset style histogram cluster gap 1\nset style fill solid 0.8 border -1\n"
        "set key top left\nset grid ytics\nset xtics rotate by -20\nset yrange [0:*]\n"
        "set multiplot layout 1,2 title 'latency and energy per model and mapping'\n"
        "set ylabel 'latency (ms)'\nplot for [i=2:{}] '{}/plot_data.tsv' using i:xtic(1) title columnheader(i)\n"
        "set ylabel 'energy (uJ)'\nplot for [i={}:{}] '{}/plot_data.tsv' using i:xtic(1) title columnheader(i)\n"
        "unset multiplot\n",
        std::string(term) == "png" ? "pngcairo" : "svg", out, 1 + n, dir, 2 + n, 1 + 2 * n, dir);
    FILE* gp = ::popen("gnuplot 2>&1", "w");
    if (!gp) return false;
    std::fputs(script.c_str(), gp);
    if (::pclose(gp) != 0 || std::rename((out + ".tmp").c_str(), out.c_str()) != 0) {
      std::remove((out + ".tmp").c_str());
      std::cerr << "report: gnuplot failed for " << out << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace

void add_report_command(CLI::App& app, Action& action) {
  struct Options {
    std::string hw, models = "all", mappings = "npu-only,rule", out;
    std::vector<std::string> sets;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("report", "Estimate zoo models under several mapping schemas and write a report");
  cmd->add_option("--hw", opt->hw, "hardware YAML")->required();
  cmd->add_option("--set", opt->sets, "override a hardware key (repeatable)");
  cmd->add_option("--models", opt->models, "comma-separated zoo models or workload files, or 'all'")->capture_default_str();
  cmd->add_option("--mappings", opt->mappings, "comma-separated schemas or mapping files")->capture_default_str();
  cmd->add_option("--out", opt->out, "output directory")->required();
  cmd->callback([&action, opt] {
    action = [opt] {
      const HardwareSpec hw = resolve_hardware(opt->hw, opt->sets);
      const std::vector<std::string> models = opt->models == "all" ? zoo_model_names() : split_list(opt->models);
      const std::vector<std::string> mappings = split_list(opt->mappings);
      if (models.empty() || mappings.empty()) throw InputError("--models and --mappings must name at least one item each");
      std::vector<Workload> workloads;
      for (const std::string& m : models) workloads.push_back(resolve_workload(m, ""));
      make_dir(opt->out);
      make_dir(opt->out + "/runs");

      AnalyticalEvaluator evaluator;
      ProgressBar bar("report", long(workloads.size() * mappings.size()));
      std::string csv = "model,mapping,cycles,latency_ms,energy_uj,macs,npu_busy_cycles,cim_busy_cycles\n";
      nlohmann::json runs = nlohmann::json::array();
      std::vector<std::vector<std::pair<double, double>>> figures(workloads.size());
      TextTable table({"model", "mapping", "latency ms", "energy uJ", "MACs", "vs npu-only latency", "vs npu-only energy"});
      for (size_t wi = 0; wi < workloads.size(); ++wi) {
        const Workload& w = workloads[wi];
        double base_ms = 0, base_uj = 0;
        for (const std::string& spec : mappings) {
          const Mapping mapping = resolve_mapping(spec, w, hw);
          EvalResult r = evaluator.evaluate(w, hw, mapping);
          if (!r.ok) throw InputError(w.name + " with mapping " + spec + ": " + r.reason);
          const double ms = double(r.report.total_cycles) / hw.clock_hz() * 1e3, uj = r.report.energy_pj() / 1e6;
          if (spec == "npu-only") base_ms = ms, base_uj = uj;
          figures[wi].emplace_back(ms, uj);
          csv += fmt::format("{},{},{},{:.6f},{:.4f},{},{},{}\n", w.name, spec, r.report.total_cycles, ms, uj, r.report.macs(),
                             r.report.npu_busy_cycles, r.report.cim_busy_cycles);
          runs.push_back({{"model", w.name}, {"mapping", spec}, {"latency_ms", ms}, {"energy_uj", uj},
                          {"cycles", r.report.total_cycles}, {"macs", r.report.macs()}});
          std::string safe = spec.find('/') == std::string::npos ? spec : "file";
          write_file_atomic(fmt::format("{}/runs/{}.{}.json", opt->out, w.name, safe),
                            report_to_json(r.report, w, hw, mapping).dump(1) + "\n");
          table.add_row({w.name, spec, fmt::format("{:.3f}", ms), fmt::format("{:.1f}", uj), short_number(double(r.report.macs())),
                         base_ms > 0 ? fmt::format("{:+.1f}%", 100 * (ms / base_ms - 1)) : "",
                         base_uj > 0 ? fmt::format("{:+.1f}%", 100 * (uj / base_uj - 1)) : ""});
          bar.advance(w.name + " " + spec);
        }
      }
      bar.finish();
      write_file_atomic(opt->out + "/summary.csv", csv);
      write_file_atomic(opt->out + "/summary.json", nlohmann::json{{"hw", hw.name}, {"runs", runs}}.dump(1) + "\n");
      const std::string text = fmt::format("# h4h report: zoo on {} ({})\n\n```\n{}```\n", hw.name, hw.file, table.render());
      write_file_atomic(opt->out + "/summary.md", text);
      std::vector<std::string> names;
      for (const Workload& w : workloads) names.push_back(w.name);
      bool plotted = plot_latency_energy(opt->out, names, mappings, figures);
      std::cout << table.render() << fmt::format("wrote {}/summary.{{csv,json,md}}, runs/*.json{}\n", opt->out,
                                                 plotted ? ", latency_energy.{png,svg}" : "");
      return 0;
    };
  });
}

}  // namespace h4h
