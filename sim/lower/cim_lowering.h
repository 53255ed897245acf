#pragma once
// CIM layer parts to CIM commands (sim/systemc/cim/cim_command.h): the MRAM slot of every weight
// tile, Program commands for the weights an inference writes, Run commands for the rounds.
//
// Tiles (cim_geometry.h's tiling, enumerated): a dense layer's K x N matrix per group is cut into
// row tiles of cim.rows reduction rows and column tiles of cim.cols / cim.weight_bits outputs; the
// row tiles of one column tile are the reduction slices of one output group. A depthwise layer's
// tiles hold channels_per_tile channels diagonally (each channel its kernel rows and one output);
// a kernel taller than cim.rows is cut into row tiles of one channel.
// Program bytes: the part's weights + biases spread over its tiles in tile order (share()).
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"
#include "sim/systemc/program.h"

namespace h4h {

struct MramSlot {
  int macro = 0;
  int subarray = 0;
};

// Free MRAM sub-arrays per macro; tiles go round-robin to macros with room.
class MramPlacer {
 public:
  explicit MramPlacer(const CimSpec& cim);
  // Places the tiles of every layer whose weights stay resident (plan_cim_residency), in network
  // order; "" or why the mapping cannot run (pinned-resident weights that do not fit; under
  // cim.reprogram never, CIM weights that are not resident).
  std::string place_resident(const Workload& w, const Mapping& m, std::vector<std::vector<MramSlot>>* slots);
  int64_t free_total() const;
  // Slots for `tiles` tiles among the free sub-arrays (without taking them: streamed rounds reuse).
  std::vector<MramSlot> peek(int64_t tiles) const;

 private:
  std::vector<MramSlot> take(int64_t tiles, std::vector<int>* next_free, size_t* cursor) const;
  const CimSpec& cim_;
  std::vector<int> next_free_;  // per macro: the first free sub-array
  size_t cursor_ = 0;
};

// One CIM part: resident (slots given) → one Run with weights_id 0; otherwise (cim.reprogram
// per_inference) rounds of Program + Run over the free sub-arrays. False with a reason if no
// sub-array is free for a part that is not resident.
bool lower_cim(const Layer& part, const Precision& precision, const HardwareSpec& hw, const cyc::TensorRef& input,
               const cyc::TensorRef& weights, const cyc::TensorRef& output, const std::vector<MramSlot>& resident_slots,
               const MramPlacer& mram, uint64_t* next_weights_id, cyc::CimTask* task, std::string* reason);

}  // namespace h4h
