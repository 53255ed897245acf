#pragma once
// What the processes read of a command, derived once when it starts (never per cycle), and the
// checks that reject a command this CIM cannot execute.
#include <cstdint>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/systemc/cim/cim_command.h"

namespace h4h::cyc {

struct RunPlan {
  const CimRun* run = nullptr;
  int64_t positions = 0;
  int64_t bit_passes = 0;          // ceil(activation_bits / cim.input_bits_per_cycle)
  int64_t packets_per_position = 0;  // the round's tiles
  std::vector<std::vector<int32_t>> macro_tiles;  // per macro: its tiles (indices into run->tiles), in order
  // Stream bytes position p needs: prefix_needed(p, run->input.bytes, positions).
  int64_t input_needed(int64_t position) const;
};

// Throws std::invalid_argument (a compiler bug, naming the tile) when the run does not fit `cim`:
// positions < 1, no tiles, macro/sub-array out of range, two tiles of a macro in one sub-array,
// rows or outputs out of range, macs < 1, overlapping output groups, a repeated row_tile in a group,
// negative addresses or sizes, activation_bits < 1.
RunPlan make_run_plan(const CimRun& run, const CimSpec& cim);

// Throws std::invalid_argument when a tile names a slot outside `cim`, rows outside 1..cim.rows,
// bytes < 1 or a negative address, or two tiles write one slot.
void validate_program(const CimProgram& program, const CimSpec& cim);

}  // namespace h4h::cyc
