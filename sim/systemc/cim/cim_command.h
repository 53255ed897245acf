#pragma once
// What the compiler hands the CIM accelerator for one layer part: data only, no durations.
// A streamed part is a sequence of Program + Run per round; a resident part is Program once, then Run.
//
// Units: addresses and sizes in bytes; rows are word lines of a sub-array; outputs are partial sums
// (one per output channel or feature of a tile's column groups); macs are full-precision MACs.
#include <cstdint>
#include <variant>
#include <vector>

namespace h4h::cyc {

// One weight tile written into sub-array `subarray` of macro `macro`: `rows` word lines (each a full
// row of cim.cols bit lines is written) from `bytes` bytes (weights + this tile's share of the bias)
// at [external_address, external_address + bytes) in external memory, read through the CIM's DMA
// channel. Row r may be written once the first ceil((r + 1) * bytes / rows) bytes of the tile have
// arrived (the bytes are spread over the rows in order).
struct CimProgramTile {
  int macro = 0;
  int subarray = 0;
  int64_t rows = 0;              // 1 .. cim.rows
  int64_t bytes = 0;             // >= 1
  int64_t external_address = 0;
  uint64_t weights_id = 0;       // names what the slot holds afterwards; 0: anonymous
};

// Tiles are fetched in this order (one DMA stream); each macro writes its tiles in this order.
struct CimProgram {
  std::vector<CimProgramTile> tiles;
};

// One tile computing in a round. Tiles with the same output group [output_first, output_first +
// outputs) are the reduction slices (row tiles) of those outputs: a compute unit adds all of their
// partial sums for a position before the outputs are final. Groups are equal or disjoint.
struct CimRunTile {
  int macro = 0;
  int subarray = 0;
  int64_t rows = 0;          // word lines driven: 1 .. cim.rows
  int64_t outputs = 0;       // partial sums per position: 1 .. cim.cols / cim.weight_bits
  int64_t output_first = 0;  // first output of its group among a position's outputs of this round
  int64_t row_tile = 0;      // which reduction slice of its group (distinct within the group)
  int64_t macs = 0;          // MACs per position (dense: rows * outputs; depthwise diagonal: rows)
  uint64_t weights_id = 0;   // if not 0, must equal the id last programmed into (macro, subarray)
};

// A byte range of the shared SRAM.
struct SramRange {
  int64_t address = 0;
  int64_t bytes = 0;
};

// A round: `positions` input vectors (output pixels or tokens) through all `tiles`.
// Input: a line-buffer stream; position p needs the first ceil((p + 1) * input.bytes / positions)
// bytes of `input` (a round that re-reads its inputs names them again). Output: position p's outputs
// are output_bytes_per_position contiguous bytes at output_address + p * output_bytes_per_position.
// A macro computes one of its tiles at a time; the tiles of one macro must be in distinct sub-arrays.
struct CimRun {
  int64_t positions = 0;  // >= 1
  std::vector<CimRunTile> tiles;  // >= 1
  SramRange input;
  int64_t output_address = 0;
  int64_t output_bytes_per_position = 0;
  int activation_bits = 8;  // driven cim.input_bits_per_cycle bits per cycle
};

struct CimCommand {
  uint64_t id = 0;  // the compiler's, copied into the command's record
  std::variant<CimProgram, CimRun> body;
};

}  // namespace h4h::cyc
