#pragma once
// gnuplot rendering of a sweep: latency, energy and EDP against the first swept key, one line per
// value of the second key (further keys are folded into the line title). With simulated figures,
// each line gets a dashed twin "(simulated)" in the same colour.
#include <limits>
#include <string>
#include <vector>

#include "sim/core/hardware.h"

namespace h4h {

struct SweepPoint {
  static constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();
  std::vector<Override> settings;  // key, value per swept key
  double latency_ms = kMissing, energy_uj = kMissing;          // the estimate; NaN where it failed
  double sim_latency_ms = kMissing, sim_energy_uj = kMissing;  // the simulator; NaN where not simulated or failed
};

// Writes DIR/sweep.{png,svg} (and DIR/sweep_plot.tsv, its data); false when gnuplot is missing,
// fails, or the first key's values are not numbers. `simulated`: draw the simulated series too.
bool plot_sweep(const std::string& dir, const std::string& title, const std::vector<std::string>& keys,
                const std::vector<SweepPoint>& points, bool simulated = false);

}  // namespace h4h
