// h4h sweep (--model NAME | --workload FILE) --hw FILE --set KEY=V1,V2,... [--set ...]
//           [--schema NAME] [--objective latency|energy|edp] --out DIR
// Evaluates the cartesian product of the swept hardware settings and writes, atomically:
//   DIR/sweep.csv (a row per point: the swept keys, cycles, latency, energy, EDP, CIM layers),
//   DIR/sweep.json, and DIR/sweep.{png,svg} (latency, energy and EDP against the first swept key,
//   one line per value of the second) when gnuplot is installed.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/progress.h"
#include "nas/cli/sweep_plot.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/map/schemas.h"

namespace h4h {

namespace {

struct Axis {
  std::string key;
  std::vector<std::string> values;
};

Axis parse_axis(const std::string& text) {
  const Override o = parse_override(text);
  Axis axis{o.first, {}};
  std::stringstream ss(o.second);
  for (std::string v; std::getline(ss, v, ',');) {
    if (v.empty()) throw_input_error("--set " + text, "", "empty value in the list; expected KEY=V1,V2,...");
    axis.values.push_back(v);
  }
  if (axis.values.empty()) throw_input_error("--set " + text, "", "no values; expected KEY=V1,V2,...");
  return axis;
}

}  // namespace

void add_sweep_command(CLI::App& app, Action& action) {
  struct Options {
    std::string model, workload, hw, schema = "rule", objective = "latency", out;
    std::vector<std::string> sets;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("sweep", "Sweep hardware settings (e.g. CIM macros x compute units) and plot the costs");
  cmd->add_option("--model", opt->model, "zoo model name");
  cmd->add_option("--workload", opt->workload, "workload JSON file");
  cmd->add_option("--hw", opt->hw, "hardware YAML")->required();
  cmd->add_option("--set", opt->sets, "KEY=V1,V2,... to sweep (repeatable; one value fixes a key)")->required();
  cmd->add_option("--schema", opt->schema, "mapping schema: npu-only | rule | optimal | optimal-concurrent")->capture_default_str();
  cmd->add_option("--objective", opt->objective, "for the optimal schemas: latency | energy | edp")
      ->capture_default_str()
      ->check(CLI::IsMember({"latency", "energy", "edp"}));
  cmd->add_option("--out", opt->out, "output directory")->required();
  cmd->callback([&action, opt] {
    action = [opt] {
      const Workload w = resolve_workload(opt->model, opt->workload);
      std::vector<Axis> axes;
      for (const std::string& s : opt->sets) axes.push_back(parse_axis(s));
      // Enumerate the cartesian product (last axis fastest) and validate every point up front.
      std::vector<std::vector<Override>> points(1);
      for (const Axis& axis : axes) {
        std::vector<std::vector<Override>> grown;
        for (const auto& p : points)
          for (const std::string& v : axis.values) {
            grown.push_back(p);
            grown.back().emplace_back(axis.key, v);
          }
        points.swap(grown);
      }
      std::vector<HardwareSpec> specs;
      for (const auto& p : points) specs.push_back(load_hardware(opt->hw, p));
      if (::mkdir(opt->out.c_str(), 0755) != 0 && errno != EEXIST)
        throw std::runtime_error(opt->out + ": cannot create directory: " + std::strerror(errno));

      AnalyticalEvaluator evaluator;
      ProgressBar bar("sweep", long(points.size()));
      std::string csv;
      for (const Axis& a : axes) csv += a.key + ",";
      csv += "cycles,latency_ms,energy_uj,edp_uj_ms,cim_layers,status\n";
      nlohmann::json rows = nlohmann::json::array();
      std::vector<SweepPoint> plotted;
      for (size_t i = 0; i < points.size(); ++i) {
        const HardwareSpec& hw = specs[i];
        const Mapping mapping = resolve_mapping(opt->schema, w, hw, opt->objective);
        const EvalResult r = evaluator.evaluate(w, hw, mapping);
        nlohmann::json row;
        for (const auto& [key, value] : points[i]) {
          csv += value + ",";
          row[key] = value;
        }
        if (!r.ok) {
          csv += fmt::format(",,,,,\"{}\"\n", r.reason);
          row["status"] = r.reason;
        } else {
          const double ms = double(r.report.total_cycles) / hw.clock_hz() * 1e3, uj = r.report.energy_pj() / 1e6;
          const long cim_layers = std::count_if(mapping.layers.begin(), mapping.layers.end(), [](const Placement& p) { return p.on_cim(); });
          csv += fmt::format("{},{:.6f},{:.4f},{:.6f},{},ok\n", r.report.total_cycles, ms, uj, ms * uj, cim_layers);
          row.update({{"cycles", r.report.total_cycles}, {"latency_ms", ms}, {"energy_uj", uj}, {"edp_uj_ms", ms * uj},
                      {"cim_layers", cim_layers}, {"status", "ok"}});
          plotted.push_back({points[i], ms, uj});
        }
        rows.push_back(row);
        bar.advance();
      }
      bar.finish();
      write_file_atomic(opt->out + "/sweep.csv", csv);
      nlohmann::json keys = nlohmann::json::array();
      for (const Axis& a : axes) keys.push_back(a.key);
      write_file_atomic(opt->out + "/sweep.json", nlohmann::json{{"workload", w.name}, {"hw", opt->hw}, {"schema", opt->schema},
                                                                  {"objective", opt->objective}, {"keys", keys}, {"points", rows}}
                                                      .dump(1) + "\n");
      std::vector<std::string> key_names;
      for (const Axis& a : axes) key_names.push_back(a.key);
      const bool plots = plot_sweep(opt->out, w.name + " (" + opt->schema + ")", key_names, plotted);
      std::cout << csv << fmt::format("wrote {}/sweep.{{csv,json}}{}\n", opt->out, plots ? ", sweep.{png,svg}" : "");
      return 0;
    };
  });
}

}  // namespace h4h
