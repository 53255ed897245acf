#pragma once
// gnuplot rendering of a sweep: latency, energy and EDP against the first swept key, one line per
// value of the second key (further keys are folded into the line title).
#include <string>
#include <vector>

#include "sim/core/hardware.h"

namespace h4h {

struct SweepPoint {
  std::vector<Override> settings;  // key, value per swept key
  double latency_ms = 0, energy_uj = 0;
};

// Writes DIR/sweep.{png,svg} (and DIR/sweep_plot.tsv, its data); false when gnuplot is missing,
// fails, or the first key's values are not numbers.
bool plot_sweep(const std::string& dir, const std::string& title, const std::vector<std::string>& keys,
                const std::vector<SweepPoint>& points);

}  // namespace h4h
