// gnuplot scatter of `h4h validate` (validate_report.h): estimated vs simulated, latency and energy.
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

#include "nas/apps/gnuplot.h"
#include "nas/apps/validate_report.h"
#include "sim/core/file_io.h"

namespace h4h {

bool plot_scatter(const std::string& dir, const std::vector<ValidationSample>& samples, const HardwareSpec& hw,
                  const std::string& title) {
  std::string data = "# sim_latency_ms est_latency_ms sim_energy_uj est_energy_uj workload\n";
  size_t points = 0;
  for (const ValidationSample& s : samples) {
    if (!s.failure.empty()) continue;
    data += fmt::format("{:.9g} {:.9g} {:.9g} {:.9g} {}\n", double(s.simulated.total_cycles) / hw.clock_hz() * 1e3,
                        double(s.estimated.total_cycles) / hw.clock_hz() * 1e3, s.simulated.energy_pj() / 1e6,
                        s.estimated.energy_pj() / 1e6, s.workload.name);
    ++points;
  }
  if (points == 0) {
    std::cerr << "validate: no simulated sample, no plot\n";
    return false;
  }
  write_file_atomic(dir + "/scatter.tsv", data);
  if (std::system("command -v gnuplot >/dev/null 2>&1") != 0) {
    std::cerr << "validate: gnuplot not found, skipping plots (scripts/setup.sh installs it)\n";
    return false;
  }
  for (const char* term : {"png", "svg"}) {
    const std::string out = fmt::format("{}/scatter.{}", dir, term);
    // The y = x line spans each panel's data range (stats), so a perfect estimator lies on it.
    std::string script = fmt::format(
        "set terminal {} size 1200,560 noenhanced\nset output '{}.tmp'\nset grid\nset key top left\n"
        "set multiplot layout 1,2 title '{}'\n",
        std::string(term) == "png" ? "pngcairo" : "svg", out, title);
    const char* labels[2] = {"latency (ms)", "energy (uJ)"};
    for (int panel = 0; panel < 2; ++panel) {
      const int x = 1 + 2 * panel, y = 2 + 2 * panel;
      script += fmt::format(
          "set autoscale xy\nstats '{0}/scatter.tsv' using {1}:{2} nooutput\nlo = (STATS_min_x < STATS_min_y ? STATS_min_x : STATS_min_y)\n"
          "hi = (STATS_max_x > STATS_max_y ? STATS_max_x : STATS_max_y)\npad = (hi - lo) * 0.05 + hi * 1e-6\n"
          "set xrange [lo - pad:hi + pad]\nset yrange [lo - pad:hi + pad]\n"
          "set xlabel 'simulated {3}'\nset ylabel 'estimated {3}'\n"
          "plot '{0}/scatter.tsv' using {1}:{2} with points pt 7 ps 0.6 title 'samples', x with lines lw 1 dt 2 title 'y = x'\n",
          dir, x, y, labels[panel]);
    }
    script += "unset multiplot\n";
    if (!run_gnuplot(script, out, "validate")) return false;
  }
  return true;
}

}  // namespace h4h
