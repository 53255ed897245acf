#pragma once
// NPU compute models: what the NPU's datapath needs for one layer on its own, without memory stalls,
// and the bytes it moves. Two engines share this result type:
//  - ethos-u55: Arm Ethos-U55's block-based MAC engine + output unit, as Vela 3.10 models it.
//  - systolic:  an R x C systolic array in os/ws/is dataflow, counted as SCALE-Sim v2 does.
// Contract: pure functions of (layer, precision, NpuSpec); `supported == false` with a reason for ops
// the engine cannot run; never throws for a valid, shape-inferred layer.
#include <cstdint>
#include <string>

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

NpuComputeEstimate estimate_ethos_u55(const Layer& layer, const Precision& precision, const NpuSpec& npu);
NpuComputeEstimate estimate_systolic(const Layer& layer, const Precision& precision, const NpuSpec& npu);

// Dispatches on npu.engine.
NpuComputeEstimate estimate_npu_compute(const Layer& layer, const Precision& precision, const NpuSpec& npu);

}  // namespace h4h
