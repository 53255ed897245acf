#pragma once
// Ethos-U55 internals used by estimate_ethos_u55 (npu_ethos_u55.cpp): the accelerator table, the
// SHRAM block-configuration search and the per-op cycle and access counts, re-implemented from the
// performance model of Arm's Vela compiler 3.10 (architecture_features.py, architecture_allocator.py,
// npu_performance.py). Shapes are H x W x C, batch 1. Not a public API of the estimate library.
#include <cstdint>

#include "sim/core/hardware.h"

namespace h4h {
namespace u55 {

enum class BlockType { ConvolutionMxN, ConvolutionDepthWise, VectorProduct, Pooling, ElementWise };

struct Shape4 {
  int64_t h = 1, w = 1, c = 1;
  int64_t elements() const { return h * w * c; }
  int64_t elements_wh() const { return w * h; }
};

// One accelerator configuration (Vela's ArchitectureConfig plus its output-unit rate tables).
struct ArchConfig {
  int macs = 0;
  Shape4 ofm_ublock, ifm_ublock;  // micro-blocks (h, w, c)
  int shram_banks = 0;            // 1 KB banks
  int granules[8] = {};           // bank granules: IFM8, IFM16, IFM8_EW, IFM16_EW, IFM32, Acc16, Acc32, Acc40
  double output_cpe[8] = {};      // output-unit cycles per element, by output kind (see OutputKind)
  double activation_cpe[3] = {};  // by fused activation: LUT, ReLU-like, none
  bool is_u55_32 = false;
  // The memory system around the NPU (from the hardware file).
  double sram_bytes_per_cycle = 8;
  int sram_burst_bytes = 32;
  int sram_latency = 32;
  int external_latency = 64;
};

// Vela's table for 32/64/128/256 MACs; nullptr for any other MAC count. `shram_kb` caps the SHRAM
// banks (the hardware's SHRAM is fixed per configuration; a smaller value models a reduced buffer).
bool make_arch_config(const NpuSpec& npu, ArchConfig* out);

struct Kernel {
  int h = 1, w = 1, stride_h = 1, stride_w = 1;
  int64_t elements_wh() const { return int64_t(h) * w; }
};

struct BlockConfig {
  bool found = false;
  Shape4 ofm_block, ifm_block;
  bool part_kernel = false;  // part-kernel-first weight traversal (else depth-first)
  bool acc40 = false;        // 40-bit accumulators (int16 scaled ops)
};

// Vela's find_block_config: searches OFM blocks (multiples of the micro-block, up to 32 x 64 x 128)
// that fit SHRAM with double-buffered IFM and accumulators, minimising IFM + weight fetches per OFM
// element (elementwise: the number of blocks).
BlockConfig find_block_config(const ArchConfig& arch, BlockType type, const Shape4& ofm, const Shape4& ifm,
                              const Shape4* ifm2, bool uses_scalar, int ifm_bits, const Kernel& kernel,
                              int lut_banks, bool scaled);

// Output-unit op kinds (Vela's output_perf_index is derived from these and the accumulator width).
enum class OutputKind { Default, Add, Mul, MaxPool };
enum class Activation { None, Relu, Lut };

struct Query {
  BlockType type = BlockType::ConvolutionMxN;
  Shape4 ifm, ofm;
  bool has_ifm2 = false;
  Shape4 ifm2;
  int ifm_bits = 8, ofm_bits = 8;
  Kernel kernel;
  BlockConfig config;
  OutputKind out_kind = OutputKind::Default;
  Activation activation = Activation::None;
  bool has_scale_bias = false;
  int const_read_latency = 32;  // memory holding the scale/bias stream (SRAM 32, off-chip flash 64)
};

struct Cycles {
  int64_t total = 0;          // Vela's op_cycles (NPU cycles, no bandwidth stalls)
  int64_t mac = 0;            // MAC-engine cycles summed over blocks
  int64_t output = 0;         // output-unit cycles summed over blocks
  // The block pipeline behind `total`: `blocks` OFM blocks, each costing block_mac in the MAC
  // engine and block_out in the output unit after Vela's per-command minimums (fractional, as Vela
  // averages them); total = (int64) (max(block_mac, block_out) * blocks + min(block_mac, block_out)).
  // Elementwise ops: block_mac = 0 and block_out = total / blocks.
  int64_t blocks = 0;
  double block_mac = 0, block_out = 0;
};
Cycles measure_cycles(const ArchConfig& arch, const Query& q);

// Element counts Vela's measure_element_access reports (multiply by element sizes for bytes).
struct Access {
  int64_t ifm_read = 0, ifm2_read = 0, ofm_write = 0, weight_read = 0;
};
Access measure_access(const ArchConfig& arch, const Query& q);

}  // namespace u55
}  // namespace h4h
