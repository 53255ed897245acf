#pragma once
// The compiler step in front of the Ethos-U55 datapath (sim/systemc/npu/ethos_u55): one h4h layer
// to the NPU commands that run it, with their SRAM and weight-stream addresses. The op mapping is
// the one of the ethos-u55 engine (sim/engines/ethos_u55/npu_ethos_u55.cpp); the block
// configuration and weight traversal are chosen as Vela does (ethos_u55_blocks.h). Commands carry
// shapes, blocks, addresses and hardware rates, never a cycle count.
//
// Tensor layout: every feature map is dense NHWC at its address (batch 1, activation_bits per
// element). Weights of a MAC op are one stream per command, OFM channel-major in the decoder's
// order (U55Command::weights); matmul streams its second operand from the SRAM as the weights.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"
#include "sim/systemc/npu/ethos_u55/u55_command.h"

namespace h4h {

struct U55TensorAddresses {
  int64_t ifm = 0;                 // the layer's first operand, in the SRAM
  std::vector<int64_t> extra_ifm;  // Layer::extra_inputs in order (add/mul: second operand; concat)
  int64_t ofm = 0;                 // the layer's output, in the SRAM
  int64_t weights = 0;             // weight stream (conv, depthwise, linear)
  bool weights_in_sram = false;    // else external memory (flash)
  int64_t scale_bias = 0;          // per-channel scale + bias stream (MAC ops)
  bool scale_bias_in_sram = false;
  // Scratch for a layer lowered to several dependent commands is the OFM itself (in place).
};

struct U55Lowering {
  bool supported = true;
  std::string reason;                     // why not
  std::vector<cyc::U55Command> commands;  // run in order; empty for reshape
};

// Lowers `layer` (output shape inferred). Fails (supported = false) for what the engine rejects:
// MAC counts other than 32/64/128/256, activations other than 8/16 bits, empty shapes, no block
// configuration fitting the SHRAM.
//  - Pass counts of the hardware file (softmax_passes, layernorm_passes, lut_activation_passes)
//    are rounded to the nearest integer (0: no command) where the engine scales fractionally.
//  - Sub-byte weights are streamed as whole bytes (weight_bits rounded up to 8 or 16).
U55Lowering lower_ethos_u55(const Layer& layer, const Precision& precision, const NpuSpec& npu,
                            const U55TensorAddresses& addresses);

// The datapath parameters of one Ethos-U55 configuration (Vela's architecture table), or false.
bool u55_arch(const NpuSpec& npu, cyc::U55Arch* arch);

}  // namespace h4h
