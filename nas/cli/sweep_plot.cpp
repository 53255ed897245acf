#include "nas/cli/sweep_plot.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>

#include <fmt/format.h>

#include "sim/core/file_io.h"

namespace h4h {

bool plot_sweep(const std::string& dir, const std::string& title, const std::vector<std::string>& keys,
                const std::vector<SweepPoint>& points) {
  if (points.empty() || keys.empty()) return false;
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::cerr << "sweep: gnuplot not found, skipping plots (scripts/setup.sh installs it)\n";
    return false;
  }
  // One gnuplot data block per series (the settings of keys 2..n), x = the first key's value.
  std::map<std::string, std::vector<const SweepPoint*>> series;
  for (const SweepPoint& p : points) {
    std::string name;
    for (size_t k = 1; k < p.settings.size(); ++k) name += (name.empty() ? "" : ", ") + p.settings[k].first + "=" + p.settings[k].second;
    series[name.empty() ? keys[0] : name].push_back(&p);
  }
  std::string data;
  for (const auto& [name, pts] : series) {
    data += "\"" + name + "\"\n";
    for (const SweepPoint* p : pts) {
      char* end = nullptr;
      const double x = std::strtod(p->settings[0].second.c_str(), &end);
      if (end == p->settings[0].second.c_str() || *end != '\0') return false;
      data += fmt::format("{} {:.6g} {:.6g} {:.6g}\n", x, p->latency_ms, p->energy_uj, p->latency_ms * p->energy_uj);
    }
    data += "\n\n";
  }
  write_file_atomic(dir + "/sweep_plot.tsv", data);
  for (const char* term : {"png", "svg"}) {
    const std::string out = fmt::format("{}/sweep.{}", dir, term);
    std::string script = fmt::format(
        "set terminal {} size 1500,450 noenhanced\nset output '{}.tmp'\nset key autotitle columnheader\n"
        "set grid\nset xlabel '{}'\nset logscale x 2\nset multiplot layout 1,3 title '{}'\n",
        std::string(term) == "png" ? "pngcairo" : "svg", out, keys[0], title);
    const char* labels[3] = {"latency (ms)", "energy (uJ)", "EDP (uJ x ms)"};
    for (int col = 0; col < 3; ++col)
      script += fmt::format("set ylabel '{}'\nplot for [i=0:{}] '{}/sweep_plot.tsv' index i using 1:{} with linespoints lw 2\n",
                            labels[col], series.size() - 1, dir, col + 2);
    script += "unset multiplot\n";
    FILE* gp = ::popen("gnuplot 2>&1", "w");
    if (!gp) return false;
    std::fputs(script.c_str(), gp);
    if (::pclose(gp) != 0 || std::rename((out + ".tmp").c_str(), out.c_str()) != 0) {
      std::remove((out + ".tmp").c_str());
      std::cerr << "sweep: gnuplot failed for " << out << "\n";
      return false;
    }
  }
  return true;
}

}  // namespace h4h
