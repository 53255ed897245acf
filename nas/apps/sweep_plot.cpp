#include "nas/apps/sweep_plot.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "nas/apps/gnuplot.h"
#include "sim/core/file_io.h"

namespace h4h {

namespace {

std::string number_or_nan(double x) { return std::isnan(x) ? "NaN" : fmt::format("{:.6g}", x); }

// Text inside a single-quoted gnuplot string (a quote is doubled).
std::string quoted(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out;
}

}  // namespace

bool plot_sweep(const std::string& dir, const std::string& title, const std::vector<std::string>& keys,
                const std::vector<SweepPoint>& points, bool simulated) {
  if (points.empty() || keys.empty()) return false;
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::cerr << "sweep: gnuplot not found, skipping plots (scripts/setup.sh installs it)\n";
    return false;
  }
  // One gnuplot data block per series (the settings of keys 2..n), x = the first key's value;
  // columns: x, latency, energy, EDP (estimated), then the same simulated. NaN marks a missing value.
  std::map<std::string, std::vector<const SweepPoint*>> series;
  for (const SweepPoint& p : points) {
    std::string name;
    for (size_t k = 1; k < p.settings.size(); ++k) name += (name.empty() ? "" : ", ") + p.settings[k].first + "=" + p.settings[k].second;
    series[name.empty() ? keys[0] : name].push_back(&p);
  }
  std::string data;
  std::vector<std::string> names;
  std::vector<bool> has_estimate, has_simulated;  // per series: any point to draw (gnuplot warns on empty blocks)
  for (const auto& [name, pts] : series) {
    names.push_back(name);
    has_estimate.push_back(false);
    has_simulated.push_back(false);
    data += "\"" + name + "\"\n";
    for (const SweepPoint* p : pts) {
      char* end = nullptr;
      const double x = std::strtod(p->settings[0].second.c_str(), &end);
      if (end == p->settings[0].second.c_str() || *end != '\0') return false;
      if (!std::isnan(p->latency_ms)) has_estimate.back() = true;
      if (!std::isnan(p->sim_latency_ms)) has_simulated.back() = true;
      data += fmt::format("{} {} {} {} {} {} {}\n", x, number_or_nan(p->latency_ms), number_or_nan(p->energy_uj),
                          number_or_nan(p->latency_ms * p->energy_uj), number_or_nan(p->sim_latency_ms),
                          number_or_nan(p->sim_energy_uj), number_or_nan(p->sim_latency_ms * p->sim_energy_uj));
    }
    data += "\n\n";
  }
  write_file_atomic(dir + "/sweep_plot.tsv", data);
  for (const char* term : {"png", "svg"}) {
    const std::string out = fmt::format("{}/sweep.{}", dir, term);
    std::string script = fmt::format(
        "set terminal {} size 1500,450 noenhanced\nset output '{}.tmp'\nset datafile missing 'NaN'\n"
        "set grid\nset xlabel '{}'\nset logscale x 2\nset key left top font ',8'\nset multiplot layout 1,3 title '{}'\n",
        std::string(term) == "png" ? "pngcairo" : "svg", quoted(out), quoted(keys[0]), quoted(title));
    const char* labels[3] = {"latency (ms)", "energy (uJ)", "EDP (uJ x ms)"};
    for (int col = 0; col < 3; ++col) {
      std::string clauses;
      for (size_t i = 0; i < names.size(); ++i) {
        const std::string source = fmt::format("'{}/sweep_plot.tsv' index {}", quoted(dir), i);
        if (has_estimate[i])
          clauses += fmt::format("{}{} using 1:{} with linespoints lw 2 lc {} title columnheader(1)", clauses.empty() ? "" : ", ",
                                 source, col + 2, i + 1);
        if (simulated && has_simulated[i])
          clauses += fmt::format("{}{} using 1:{} with linespoints lw 2 dt 2 pt 6 lc {} title columnheader(1).' (simulated)'",
                                 clauses.empty() ? "" : ", ", source, col + 5, i + 1);
      }
      script += fmt::format("set ylabel '{}'\nplot {}\n", labels[col], clauses);
    }
    script += "unset multiplot\n";
    if (!run_gnuplot(script, out, "sweep")) return false;
  }
  return true;
}

}  // namespace h4h
