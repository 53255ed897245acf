#pragma once
// The result types of the NPU engines (i_npu_engine.h): what the NPU's datapath needs for one layer on
// its own, without memory stalls, and the bytes it moves; and the layer as a block schedule. The
// engines (each in its own folder) fill them:
//  - ethos-u55: Arm Ethos-U55's block-based MAC engine + output unit, as Vela 3.10 models it.
//  - systolic:  an R x C systolic array in os/ws/is dataflow, counted as SCALE-Sim v2 does.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

struct BlockShape {
  int64_t h = 0, w = 0, c = 0;
};

struct NpuComputeEstimate {
  bool supported = true;
  std::string reason;            // why not supported
  int64_t compute_cycles = 0;    // datapath cycles, no memory stalls
  int64_t mac_cycles = 0;        // MAC-engine cycles (ethos-u55) or array cycles (systolic)
  int64_t output_cycles = 0;     // output-unit cycles (ethos-u55)
  BlockShape ofm_block, ifm_block;  // ethos-u55: the block configuration chosen
  // Bytes the engine reads and writes, as Vela counts them (ethos-u55) or as the dataflow moves
  // them between SRAM and the array (systolic: SCALE-Sim's SRAM read/write counts).
  int64_t ifm_read_bytes = 0;
  int64_t ifm2_read_bytes = 0;   // second activation operand (elementwise, matmul)
  int64_t ofm_write_bytes = 0;
  int64_t weight_read_bytes = 0; // including re-reads per OFM block
  int64_t scale_bias_bytes = 0;  // per-channel scale + bias
};

// A layer's NPU work as a replayable block schedule, for the cycle-level simulator. A layer lowers
// to one or more ops; an op runs as `repeats` identical commands, one after another, each a
// two-stage pipeline (MAC engine, then output unit) over `blocks` blocks: block i costs mac.at(i)
// MAC-stage cycles and out.at(i) output-stage cycles. Pipelining the blocks of one command
// (block i enters the output stage when its MAC stage ends and block i-1 has left the output
// stage) gives command_cycles(); summed over repeats and ops it equals the engine's compute_cycles
// exactly. The stage values are built so that one stage is constant and never exceeds the other,
// so the result does not depend on the depth of the buffer between the stages.
//  - ethos-u55: blocks are Vela's OFM blocks; per-block cycles are Vela's after its per-command
//    minimums, rounded so that the sum is Vela's op_cycles (elementwise: output stage only).
//  - systolic: blocks are the array's folds (MAC stage only); the last fold of the layer carries
//    SCALE-Sim's final "- 1". Ops without MACs run on the vector unit, one block per
//    array_rows x array_cols elements.
// Bytes are the op's totals over all its repeats, to be spread over its repeats x blocks blocks
// with share(); their sums over ops equal the NpuComputeEstimate's byte counts.
struct StageCycles {
  int64_t base = 0;   // cycles of every block...
  int64_t extra = 0;  // ...plus one for the first `extra` blocks
  int64_t at(int64_t block) const { return base + (block < extra ? 1 : 0); }
  int64_t sum(int64_t blocks) const { return base * blocks + extra; }
};

struct NpuOpSchedule {
  int64_t blocks = 0;
  int64_t repeats = 1;
  StageCycles mac, out;
  int64_t ifm_bytes = 0, ifm2_bytes = 0, ofm_bytes = 0, weight_bytes = 0, scale_bias_bytes = 0;
  int64_t command_cycles() const;  // one command, pipelined
  int64_t compute_cycles() const { return repeats * command_cycles(); }
};

// A command of `blocks` blocks whose stages cost block_mac and block_out (fractional, as Vela
// averages them) and whose pipelined total is `total` (Vela: (int64) (max x blocks + min)): the
// smaller stage becomes the constant floor(min), the larger one spreads total - floor(min) over
// the blocks. Requires total >= floor(max x blocks) + floor(min); otherwise (never for Vela's
// arithmetic) the whole total goes to the output stage.
NpuOpSchedule two_stage_op(int64_t blocks, double block_mac, double block_out, int64_t total);

// `total` spread over `parts` parts: part i gets total / parts, plus one for i < total % parts.
inline int64_t share(int64_t total, int64_t parts, int64_t i) {
  return parts <= 0 ? 0 : total / parts + (i < total % parts ? 1 : 0);
}

struct NpuSchedule {
  bool supported = true;
  std::string reason;
  std::vector<NpuOpSchedule> ops;  // empty for ops that need no NPU work (reshape)
  int64_t compute_cycles() const;
};

}  // namespace h4h
