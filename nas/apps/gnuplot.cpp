#include "nas/apps/gnuplot.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <fmt/format.h>

namespace h4h {

bool gnuplot_available(const std::string& who) {
  if (std::system("command -v gnuplot >/dev/null 2>&1") == 0) return true;
  std::cerr << who << ": gnuplot not found, skipping plots (scripts/setup.sh installs it)\n";
  return false;
}

bool run_gnuplot(const std::string& script, const std::string& out, const std::string& who) {
  FILE* gp = ::popen("gnuplot 1>&2", "w");  // its messages on stderr: stdout may carry JSON or CSV
  if (!gp) return false;
  std::fputs(script.c_str(), gp);
  if (::pclose(gp) != 0 || std::rename((out + ".tmp").c_str(), out.c_str()) != 0) {
    std::remove((out + ".tmp").c_str());
    std::cerr << who << ": gnuplot failed for " << out << "\n";
    return false;
  }
  return true;
}

bool render_plot(const std::string& out_base, int width, int height, const std::string& body, const std::string& who) {
  for (const char* term : {"png", "svg"}) {
    const std::string out = fmt::format("{}.{}", out_base, term);
    const std::string script =
        fmt::format("set terminal {} size {},{} noenhanced\nset output '{}.tmp'\n{}\nunset output\n",
                    std::string(term) == "png" ? "pngcairo" : "svg", width, height, out, body);
    if (!run_gnuplot(script, out, who)) return false;
  }
  return true;
}

}  // namespace h4h
