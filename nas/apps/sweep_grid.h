#pragma once
// The grid of a hardware sweep: `--set KEY=V1,V2,...` axes and their cartesian product.
// Contract: every failure is an InputError naming the argument (exit 2): a value list that is
// empty or has an empty item, a key swept twice. Keys and values are checked against the hardware
// file by load_hardware, not here.
#include <string>
#include <vector>

#include "sim/core/hardware.h"

namespace h4h {

struct SweepAxis {
  std::string key;
  std::vector<std::string> values;  // in the order given, at least one
};

// Parses "KEY=V1,V2,...".
SweepAxis parse_sweep_axis(const std::string& text);

// Parses every --set argument; rejects a key given twice.
std::vector<SweepAxis> parse_sweep_axes(const std::vector<std::string>& sets);

// The cartesian product, last axis fastest: one list of (key, value) overrides per point.
std::vector<std::vector<Override>> sweep_points(const std::vector<SweepAxis>& axes);

}  // namespace h4h
