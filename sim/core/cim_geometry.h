#pragma once
// How a layer's weight matrix lands on the CIM's MRAM sub-arrays. Shared by the estimator, the
// simulator and the mapping schemas so that capacity and tiling are counted in one place.
//
// A weight matrix K x N (K = reduction length, N = outputs) is cut into tiles of `rows` word lines
// by `cols` bit lines; an N-output tile uses N * weight_bits bit lines. A depthwise layer is packed
// diagonally: a tile holds `channels_per_tile` channels, each on its own kernel_h*kernel_w rows and
// its own column group (its inputs differ per channel, so rows cannot be shared).
#include <cstdint>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

struct CimTiling {
  int64_t reduction = 0;          // K
  int64_t outputs = 0;            // N (output channels or features)
  int64_t positions = 0;          // input vectors: output pixels or tokens (x batch)
  int64_t channels_per_tile = 0;  // depthwise packing (0 for dense layers)
  int64_t row_tiles = 0, col_tiles = 0, groups = 1;
  int64_t tiles = 0;              // sub-array tiles the layer occupies
  int64_t rows_used = 0;          // word lines written per tile (programming time)
  int64_t footprint_bits = 0;     // MRAM cells occupied: tiles * rows * cols
  int64_t partial_sums_per_position = 0;  // outputs the tiles emit per input vector
};

// Valid for ops the CIM supports (conv2d, depthwise_conv2d, linear); zero tiling otherwise.
CimTiling cim_tiling(const Layer& layer, const CimSpec& cim);

}  // namespace h4h

#include <string>
#include <vector>
#include "sim/core/mapping.h"

namespace h4h {

// Which CIM-placed layers keep their weights resident in MRAM: layers pinned Resident first, then
// Auto layers first come, first served in network order while they fit; the others (and Streamed
// ones) are reprogrammed on every run, into the sub-arrays resident weights leave free: when Auto
// layers would leave none, they leave one per macro. Check cim_residency_problem() first: a pinned layer that
// does not fit is an evaluation failure, not silently streamed.
std::vector<bool> plan_cim_residency(const Workload& workload, const Mapping& mapping, const CimSpec& cim);
// "" when the mapping's CIM weights can be held as cim.reprogram allows; otherwise why not, naming the
// first layer: a layer pinned Resident that does not fit; under `never` (MRAM weights stationary) also
// any CIM part with weights that would not be resident (pinned Streamed, or not fitting).
std::string cim_residency_problem(const Workload& workload, const Mapping& mapping, const CimSpec& cim);

// MACs all macros do per cycle at full use with `activation_bits`-bit inputs driven
// cim.input_bits_per_cycle bits at a time (0 when the system has no CIM).
double cim_peak_macs_per_cycle(const CimSpec& cim, int activation_bits);

// Sub-array tiles a layer's weights occupy (footprint_bits / (rows * cols)).
int64_t cim_tiles(const Layer& layer, const CimSpec& cim);

}  // namespace h4h
