#pragma once
// U55Command: one Ethos-U55 NPU operation as the cycle-level datapath (u55_datapath.h) executes it.
// Data only: shapes, the block configuration the compiler chose, tensor addresses and the
// microarchitecture the datapath is built with. It never holds a duration: every cycle comes from
// the datapath's units stepping one cycle at a time.
//
// Conventions: shapes are H x W x C (batch 1); addresses and strides are bytes; a feature map lives
// in the shared SRAM, element (y, x, c) at address + y * stride_y + x * stride_x + c * stride_c.
// Weight and scale/bias streams live in the SRAM or in external memory (flash).
#include <cstdint>

#include "sim/systemc/kernel/memory_request.h"

namespace h4h::cyc {

enum class U55BlockType { ConvolutionMxN, ConvolutionDepthWise, VectorProduct, Pooling, ElementWise };

// Weight traversal of a ConvolutionMxN: depth-first (one kernel element x a 32-deep IFM slice per
// weight set) or part-kernel-first (4 kernel elements x 8 IFM channels per weight set).
enum class U55Traversal { DepthFirst, PartKernelFirst };

// Output-unit operation (selects its throughput row, see U55Arch::output_rate).
enum class U55OutputKind { Default, Add, Mul, MaxPool };
enum class U55Activation { None, Relu, Lut };  // fused activation: none, ReLU-like clamp, 256-entry LUT

struct U55Shape {
  int64_t h = 1, w = 1, c = 1;
  int64_t elements() const { return h * w * c; }
};

// A throughput: `elements` elements every `cycles` cycles (0.625 cycles/element = 8 per 5 cycles).
struct U55Rate {
  int64_t cycles = 1, elements = 1;
};

// A feature map in the shared SRAM (NHWC unless the strides say otherwise).
struct U55FeatureMap {
  U55Shape shape;
  int bits = 8;  // element size: 8 or 16 (32 for the int32 elementwise variants)
  int64_t address = 0;
  int64_t stride_y = 0, stride_x = 0, stride_c = 0;  // bytes between rows, pixels, channels
  int64_t element_bytes() const { return bits / 8; }
  // Dense NHWC strides for `shape`.
  void set_dense_strides() {
    stride_c = element_bytes();
    stride_x = shape.c * stride_c;
    stride_y = shape.w * stride_x;
  }
};

// A byte stream read in order by the weight decoder or the output unit's scale/bias port.
struct U55Stream {
  MemoryTarget target = MemoryTarget::External;
  int64_t address = 0;
};

// The window of a ConvolutionMxN / DepthWise / Pooling op. Padding is where the window starts
// relative to the IFM (pad_top rows above row 0, pad_left columns left of column 0).
struct U55Kernel {
  int h = 1, w = 1, stride_h = 1, stride_w = 1;
  int pad_top = 0, pad_left = 0;
  int64_t elements() const { return int64_t(h) * w; }
};

// The microarchitecture the datapath is built with: hardware facts of one Ethos-U55 configuration
// (Vela's architecture table for 32/64/128/256 MACs), copied into every command by the lowering.
struct U55Arch {
  int macs = 256;
  U55Shape ofm_ublock{2, 2, 8};  // OFM micro-block: the outputs one MAC pass computes in parallel
  int ifm_ublock_c = 8;          // IFM channels the array reads per cycle per kernel element (8-bit)
  int shram_banks = 48;          // 1 KB SHRAM banks (the block configuration was chosen to fit them)
  // MAC passes. A pass runs one weight set over one micro-block and takes pass_cycles cycles:
  // depth-first 32 IFM channels (16 for 16-bit IFMs) of one kernel element, part-kernel-first 4
  // kernel elements (2 for 16-bit) x 8 channels, depthwise 4 kernel elements of the micro-block's
  // own channels. Pooling passes take one cycle per kernel element, at least pass_cycles.
  int pass_cycles = 4;
  bool depthwise_int16_half_rate = true;  // 16-bit depthwise passes take twice as long
  bool pooling_int16_half_rate = true;    // 16-bit pooling passes take twice as long (not on u55-32)
  // Weight decoder: it fills the MAC array's weight registers, one set per pass kind above. A set
  // holds weight_lane_entries weights for each of the ofm_ublock.c OFM lanes (padded when the step
  // uses fewer) and is written at weight_decoder_entries_per_cycle entries per cycle. The registers
  // hold weight_set_buffers sets: the decoder fills the next while the MAC array uses the current.
  int weight_lane_entries = 32;
  int weight_decoder_entries_per_cycle = 8;
  int weight_set_buffers = 2;
  int64_t weight_fifo_bytes = 512;      // compressed-weight FIFO in front of the decoder
  int64_t weight_request_bytes = 64;    // the weight stream's read request size
  // SHRAM double buffering: IFM block buffers and accumulator buffers.
  int ifm_buffers = 2;
  int accumulator_buffers = 2;
  // Output unit: throughput by operation (index, as in Vela's table: 0 elementwise int32 binary,
  // 1 elementwise int32 unary, 2 mul with int32 OFM, 3 mul or 40-bit accumulators, 4 (unused),
  // 5 add/sub, 6 max pooling, 7 other) and by fused activation (LUT, ReLU-like, none); an op runs
  // at the slower of its two rates.
  U55Rate output_rate[8];
  U55Rate activation_rate[3];
  bool activation_unlimited[3] = {false, false, true};  // no activation: no limit from this row
  // Optional pacing of the IFM fetcher's reads to the NPU's AXI read data width, bytes per cycle;
  // 0 (the lowering's choice): unpaced, the SRAM model enforces the port's bandwidth. The fetcher
  // issues at most one request (one contiguous run) per cycle either way.
  int64_t port_bytes_per_cycle = 0;
  int64_t max_outstanding_write_bytes = 2048;  // write buffer: OFM bytes sent but not yet accepted
};

struct U55Command {
  U55BlockType type = U55BlockType::ConvolutionMxN;
  U55Traversal traversal = U55Traversal::DepthFirst;
  U55FeatureMap ifm, ifm2, ofm;  // ifm2: elementwise second operand (shape may broadcast: dims of 1)
  bool has_ifm2 = false;
  bool ifm2_scalar = false;  // a one-element second operand held in the command (no reads)
  U55Kernel kernel;
  // Block configuration (Vela's find_block_config): the OFM block and the IFM block it needs; the
  // datapath clips the OFM block to the OFM. The MAC unit steps over mac_ublock micro-blocks (the
  // arch's ofm_ublock, or 1 x 4 for the 1-D mode of the 2 x 2 configurations).
  U55Shape ofm_block, ifm_block;
  U55Shape mac_ublock{2, 2, 8};
  int accumulator_bits = 32;  // 32, or 40 for 16-bit scaled ops
  U55OutputKind output_kind = U55OutputKind::Default;
  U55Activation activation = U55Activation::None;
  // Weights (MAC ops but pooling), stored per OFM depth block in the order the decoder consumes
  // them: weights for OFM channels [c0, c0 + n) start at weights.address + c0 * weight_bytes_per_ofm_channel.
  bool has_weights = false;
  U55Stream weights;
  int weight_bits = 8;
  // Per-OFM-channel scale and bias (MAC ops): scale_bias_bytes_per_channel bytes per channel, read by
  // the output unit for each OFM block.
  bool has_scale_bias = false;
  U55Stream scale_bias;
  int64_t scale_bias_bytes_per_channel = 10;
  U55Arch arch;
  // The operation runs `repeat` times back to back (>= 1); run r adds r x the strides below to the
  // addresses (grouped convolutions, matmul batches, repeated passes: stride 0).
  int64_t repeat = 1;
  int64_t repeat_ifm_stride = 0, repeat_ifm2_stride = 0, repeat_ofm_stride = 0, repeat_weight_stride = 0;
  int64_t repeat_scale_bias_stride = 0;
};

}  // namespace h4h::cyc
