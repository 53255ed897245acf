// Ethos-U55 block configuration search and per-op cycle/access counts, re-implemented in C++ from the
// performance model of Arm's Vela compiler 3.10 (Apache-2.0). The arithmetic follows Vela's order of
// operations, including its floating-point cost ties, so that the same block configuration is chosen.
#include "sim/engines/ethos_u55/ethos_u55_blocks.h"

#include <algorithm>
#include <limits>
#include <vector>

namespace h4h {
namespace u55 {
namespace {

// Default Ethos-U55 system ("internal-default"): feature maps in SRAM (8 bytes/cycle, burst 32 bytes,
// 32-cycle read/write latency); weights, scales and biases in off-chip flash (64-cycle latency).
constexpr int kBankBytes = 1024;
constexpr int kReservedOutputBanks = 2;
constexpr int kOfmSplitDepth = 16;
constexpr int kSubKernelMax = 8;
const Shape4 kOfmBlockMax{32, 64, 128};  // h, w, c

int64_t div_up(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t round_up(int64_t a, int64_t b) { return div_up(a, b) * b; }
int64_t ceil_to_int(double x) {
  const int64_t t = static_cast<int64_t>(x);
  return (static_cast<double>(t) < x) ? t + 1 : t;
}

Shape4 min_shape(const Shape4& a, const Shape4& b) {
  return Shape4{std::min(a.h, b.h), std::min(a.w, b.w), std::min(a.c, b.c)};
}
Shape4 div_round_up(const Shape4& a, const Shape4& b) {
  return Shape4{div_up(a.h, b.h), div_up(a.w, b.w), div_up(a.c, b.c)};
}

bool is_conv_like(BlockType t) {
  return t == BlockType::ConvolutionMxN || t == BlockType::ConvolutionDepthWise || t == BlockType::VectorProduct ||
         t == BlockType::Pooling;
}

// Sub-kernel limit: kernels are split into pieces of at most 8 x 8 (vector product: 1 x 1).
int sub_kernel_limit(BlockType t) { return t == BlockType::VectorProduct ? 1 : kSubKernelMax; }

// Part-kernel-first is chosen when it keeps more of the 8-deep x 4-element MAC lanes busy than
// depth-first over 32-deep IFM slices (always for IFM depth <= 8).
bool choose_part_kernel(const Shape4& ifm, int ifm_bits, const Kernel& k) {
  if (ifm.c <= 8) return true;
  const int64_t ke = k.elements_wh();
  const double depth_util = double(ifm.c) / double(round_up(ifm.c, ifm_bits == 8 ? 32 : 16));
  const double part_util =
      double(ifm.c * ke) / double(round_up(ifm.c, 8) * round_up(ke, ifm_bits == 8 ? 4 : 2));
  return part_util > depth_util;
}

enum class EwUsage { No, Full, Scalar };

// SHRAM layout check: output banks, double-buffered IFM (and IFM2), double-buffered accumulators and
// the LUT must all fit.
bool fits_shram(const ArchConfig& a, EwUsage ew, const Shape4& ofm_block, const Shape4& ifm_block, int ifm_bits,
                int ifm_granule, int acc_bits, int acc_granule, int lut_banks) {
  const int64_t ifm_bytes = ifm_block.elements_wh() * round_up(ifm_block.c * ifm_bits / 8, 8);
  const int64_t ifm_banks = round_up(div_up(ifm_bytes, kBankBytes) * 2, ifm_granule);
  const int64_t lut_start = a.shram_banks - lut_banks;
  int64_t ifm_end = kReservedOutputBanks + ifm_banks;
  const int64_t ifm2_start = ifm_end;
  int64_t acc_start = lut_start;
  if (ew == EwUsage::No) {
    const int64_t acc_bytes = ofm_block.elements_wh() * round_up(ofm_block.c, 8) * acc_bits / 8;
    acc_start -= round_up(div_up(acc_bytes, kBankBytes) * 2, acc_granule);
  } else {
    const int64_t ifm2_banks = ew == EwUsage::Full ? ifm_banks : 0;
    if (ifm2_start + ifm2_banks > acc_start) return false;
    ifm_end = acc_start;
  }
  return ifm_end <= acc_start;
}

// Burst-efficiency scaling of a transfer between SRAM and an NHWC feature map (Vela's
// _estimate_memory_transfer_efficiency; note it compares the channel stride in bytes with the
// block depth, as Vela does).
double transfer_with_efficiency(bool is_read, int bits, const Shape4& block, int64_t to_transfer, int burst_bytes) {
  const double stride_c = bits / 8.0;
  int64_t burst_bits;
  if (is_read) {
    burst_bits = (stride_c == double(block.c)) ? bits * block.c * block.w : bits * block.c;
  } else if (block.c <= 16 && stride_c == double(block.c)) {
    burst_bits = bits * block.c * block.w;
  } else {
    burst_bits = std::min<int64_t>({64 * 8, 16 * int64_t(bits), block.c * bits});
  }
  int64_t burst = std::min<int64_t>(burst_bytes, burst_bits / 8);
  if (burst <= 0) burst = 1;
  return double(to_transfer) * (double(burst_bytes) / double(burst));
}

// Latency + transfer time of one IFM block and one OFM block (Vela's per-command minimum).
void block_memory_cycles(const ArchConfig& a, const Query& q, double* ifm_cycles, double* ofm_cycles) {
  const int64_t ifm_elems = min_shape(q.ifm, q.config.ifm_block).elements();
  *ifm_cycles = a.sram_latency + transfer_with_efficiency(true, q.ifm_bits, q.config.ifm_block, ifm_elems, a.sram_burst_bytes) /
                                     a.sram_bytes_per_cycle;
  const int64_t ofm_elems = min_shape(q.ofm, q.config.ofm_block).elements();
  *ofm_cycles = a.sram_latency + transfer_with_efficiency(false, q.ofm_bits, q.config.ofm_block, ofm_elems, a.sram_burst_bytes) /
                                     a.sram_bytes_per_cycle;
}

double output_cycles_per_element(const ArchConfig& a, const Query& q) {
  int index;
  if (q.type == BlockType::ElementWise && q.ifm_bits == 32) {
    index = q.has_ifm2 ? 0 : 1;
  } else if (q.out_kind == OutputKind::Mul && q.ofm_bits == 32) {
    index = 2;
  } else if (q.out_kind == OutputKind::Mul || (is_conv_like(q.type) && q.config.acc40)) {
    index = 3;
  } else if (q.out_kind == OutputKind::Add) {
    index = 5;  // Vela 3.10 always costs add/sub as the "advanced" (rescaling) variant
  } else if (q.out_kind == OutputKind::MaxPool) {
    index = 6;
  } else {
    index = 7;
  }
  const int act = q.activation == Activation::Lut ? 0 : q.activation == Activation::Relu ? 1 : 2;
  double cpe = std::max(a.output_cpe[index], a.activation_cpe[act]);
  if (q.type == BlockType::ElementWise) {
    // Small blocks cannot hide the per-command memory latency (spread over 4 pipelined commands).
    const double n = double(q.config.ofm_block.elements());
    double ifm_c, ofm_c;
    block_memory_cycles(a, q, &ifm_c, &ofm_c);
    const double cmd = (ifm_c + ofm_c + cpe * n) / 4;
    cpe = std::max(cpe, cmd / n);
  }
  return cpe;
}

Cycles conv_cycles(const ArchConfig& a, const Query& q) {
  const Shape4 ifm_block = min_shape(q.ifm, q.config.ifm_block);
  Shape4 ofm_block = min_shape(q.ofm, q.config.ofm_block);
  Shape4 ublock = a.ofm_ublock;
  // 1-D optimisation of the 2x2 micro-block configs: a 1-row OFM of even width runs as 1x4 micro-blocks.
  if (a.ofm_ublock.h == 2 &&
      (q.type == BlockType::ConvolutionMxN || q.type == BlockType::ConvolutionDepthWise ||
       q.type == BlockType::VectorProduct) &&
      q.ofm.h == 1 && q.ofm.w % 2 == 0 && q.kernel.h == 1) {
    ublock = Shape4{1, 4, a.ofm_ublock.c};
    ofm_block.h = 1;
  }
  const int64_t ublk_x = div_up(ofm_block.w, ublock.w), ublk_y = div_up(ofm_block.h, ublock.h);
  const int64_t ublk_xy = ublk_x * ublk_y, ublk_z = div_up(ofm_block.c, ublock.c);
  const bool acc40 = q.config.acc40;
  const bool part = q.type == BlockType::ConvolutionMxN && q.config.part_kernel;

  const int lim = sub_kernel_limit(q.type);
  const int64_t cycles_wb = 32 * ublock.c / 8;  // write-back of one micro-block column
  int64_t dpu_blk = 0;
  for (int y0 = 0; y0 < q.kernel.h; y0 += lim) {
    for (int x0 = 0; x0 < q.kernel.w; x0 += lim) {
      const int64_t elems = int64_t(std::min(lim, q.kernel.h - y0)) * std::min(lim, q.kernel.w - x0);
      int64_t steps, cycles;
      if (q.type == BlockType::Pooling) {
        steps = 1;
        cycles = std::max<int64_t>(4, elems) * ublk_xy * ublk_z;
        if (q.ifm_bits == 16 && !a.is_u55_32) cycles *= 2;
      } else if (q.type == BlockType::ConvolutionDepthWise) {
        cycles = 4 * ublk_xy * (q.ifm_bits == 16 ? 2 : 1);
        steps = div_up(elems, 4);
        cycles = std::max(cycles_wb, cycles) * steps * ublk_z;
      } else if (!part) {  // depth-first convolution, vector product
        steps = elems;
        cycles = std::max(cycles_wb, 4 * ublk_xy) * steps * ublk_z;
      } else {  // part-kernel-first: 4 (int16: 2) kernel elements x 8 channels per step
        steps = div_up(elems, q.ifm_bits == 16 ? 2 : 4);
        cycles = std::max(cycles_wb, 4 * ublk_xy) * (steps * div_up(ifm_block.c, 8) * ublk_z);
      }
      // Accumulator read-back stalls when a block is a single micro-block in x and y.
      int64_t delay_cycles = 0;
      if (a.is_u55_32) {
        const int64_t delay = acc40 ? 7 : 3;
        if (ublk_x == 1 && ublk_y == 1) {
          if (ublk_z == 1) delay_cycles = delay * steps;
          else if (steps > 1) delay_cycles = delay * (steps - 1) * ublk_z;
        }
        if ((ublk_x == 1 || ublk_y == 1) && ublk_z > 1 && acc40) delay_cycles += delay * ublk_z;
      } else {
        const int64_t delay = (acc40 && (a.macs == 64 || a.macs == 128)) ? 3 : 2;
        if (ublk_x == 1 && ublk_y == 1) {
          if (ublk_z == 1) delay_cycles = delay * steps;
          else if (steps > 1) delay_cycles = delay * (steps - 1) * ublk_z;
        }
      }
      if (part) delay_cycles *= div_up(ifm_block.c, 8);
      dpu_blk += cycles + delay_cycles;
    }
  }
  if (q.type == BlockType::ConvolutionMxN || q.type == BlockType::VectorProduct)
    dpu_blk *= div_up(q.ifm.c, ifm_block.c);

  const int64_t num_blocks = div_round_up(q.ofm, ofm_block).elements();
  double out_blk = double(ceil_to_int(output_cycles_per_element(a, q) * double(ofm_block.elements())));
  Cycles r;
  r.mac = dpu_blk * num_blocks;
  r.output = int64_t(out_blk) * num_blocks;
  if (q.has_scale_bias) {
    // Scale/bias fetch for the block's channels (10 bytes each) against the stream's latency.
    const double bias_blk = 10.0 * double(ofm_block.c) * q.const_read_latency / 256.0;
    out_blk = std::max(out_blk, bias_blk);
  }
  double ifm_c, ofm_c;
  block_memory_cycles(a, q, &ifm_c, &ofm_c);
  double dpu = double(dpu_blk);
  const double cmd = (ifm_c + ofm_c + out_blk + dpu) / 4;
  dpu = std::max(dpu, cmd);
  out_blk = std::max(out_blk, cmd);
  // Two-stage pipeline (MAC engine, output unit) over the OFM blocks.
  const double total = dpu > out_blk ? dpu * double(num_blocks) + out_blk : out_blk * double(num_blocks) + dpu;
  r.total = static_cast<int64_t>(total);
  r.blocks = num_blocks;
  r.block_mac = dpu;
  r.block_out = out_blk;
  return r;
}

}  // namespace

bool make_arch_config(const NpuSpec& npu, ArchConfig* out) {
  const int macs_per_cycle = npu.macs_per_cycle, shram_kb = npu.shram_kb;
  ArchConfig a;
  a.sram_bytes_per_cycle = npu.sram_bytes_per_cycle;
  a.sram_burst_bytes = npu.sram_burst_bytes;
  a.sram_latency = npu.sram_latency_cycles;
  a.external_latency = npu.external_latency_cycles;
  a.macs = macs_per_cycle;
  switch (macs_per_cycle) {
    case 256: {
      a.ofm_ublock = a.ifm_ublock = Shape4{2, 2, 8};
      a.shram_banks = 48;
      const int g[8] = {8, 8, 8, 8, 16, 8, 16, 20};
      const double o[8] = {0.625, 1.125, 0.5, 0.375, 0.5, 0.75, 0.125, 0.25};
      const double act[3] = {1.0, 0.25, 0.0};
      std::copy(g, g + 8, a.granules), std::copy(o, o + 8, a.output_cpe), std::copy(act, act + 3, a.activation_cpe);
      break;
    }
    case 128: {
      a.ofm_ublock = a.ifm_ublock = Shape4{1, 2, 8};
      a.shram_banks = 24;
      const int g[8] = {4, 4, 4, 4, 8, 4, 8, 12};
      const double o[8] = {0.75, 1.25, 0.75, 0.75, 1.0, 1.5, 0.25, 0.5};
      const double act[3] = {1.0, 0.5, 0.0};
      std::copy(g, g + 8, a.granules), std::copy(o, o + 8, a.output_cpe), std::copy(act, act + 3, a.activation_cpe);
      break;
    }
    case 64: {
      a.ofm_ublock = a.ifm_ublock = Shape4{1, 1, 8};
      a.shram_banks = 16;
      const int g[8] = {2, 2, 2, 2, 4, 4, 4, 8};
      const double o[8] = {1.0, 1.5, 1.5, 1.5, 2.0, 3.0, 0.5, 1.0};
      const double act[3] = {1.0, 1.0, 0.0};
      std::copy(g, g + 8, a.granules), std::copy(o, o + 8, a.output_cpe), std::copy(act, act + 3, a.activation_cpe);
      break;
    }
    case 32: {
      a.ofm_ublock = Shape4{1, 1, 4};
      a.ifm_ublock = Shape4{1, 1, 8};
      a.shram_banks = 16;
      a.is_u55_32 = true;
      const int g[8] = {2, 2, 2, 2, 4, 4, 4, 4};
      const double o[8] = {2.0, 3.0, 3.0, 3.0, 4.0, 6.0, 1.0, 2.0};
      const double act[3] = {1.0, 1.0, 0.0};
      std::copy(g, g + 8, a.granules), std::copy(o, o + 8, a.output_cpe), std::copy(act, act + 3, a.activation_cpe);
      break;
    }
    default:
      return false;
  }
  if (shram_kb > 0 && shram_kb < a.shram_banks) a.shram_banks = shram_kb;
  *out = a;
  return true;
}

BlockConfig find_block_config(const ArchConfig& a, BlockType type, const Shape4& ofm, const Shape4& ifm_in,
                              const Shape4* ifm2, bool uses_scalar, int ifm_bits, const Kernel& k, int lut_banks,
                              bool scaled) {
  Shape4 ifm = ifm_in;
  if (ifm2 && ifm2->elements() > ifm.elements()) ifm = *ifm2;  // elementwise: the larger operand
  const EwUsage ew = type != BlockType::ElementWise ? EwUsage::No : uses_scalar ? EwUsage::Scalar : EwUsage::Full;
  const bool is_pooling = type == BlockType::Pooling;
  const bool is_depthwise = type == BlockType::ConvolutionDepthWise;
  const bool equal_depth = ew != EwUsage::No || is_pooling || is_depthwise;
  const bool is_conv = type == BlockType::ConvolutionMxN || is_depthwise;

  BlockConfig cfg;
  cfg.part_kernel = is_conv && choose_part_kernel(ifm, ifm_bits, k);
  cfg.acc40 = ifm_bits == 16 && !is_pooling && scaled;
  const int acc_granule = a.granules[cfg.acc40 ? 7 : 6];
  const int acc_bits = cfg.acc40 ? 40 : 32;
  const int bits_index = ifm_bits == 8 ? 0 : ifm_bits == 16 ? 1 : 4;
  const int ifm_granule = a.granules[ew != EwUsage::No && bits_index < 4 ? bits_index + 2 : bits_index];
  lut_banks = std::max(lut_banks, a.shram_banks > 16 ? 2 : 0);

  const int64_t ifm_repeats = div_up(k.w, kSubKernelMax) * div_up(k.h, kSubKernelMax);
  const int64_t ifm_blockdepth = ifm_bits == 16 ? round_up(std::min<int64_t>(ifm.c, 16), 4)
                                                 : round_up(std::min<int64_t>(ifm.c, cfg.part_kernel ? 16 : 32),
                                                            a.ifm_ublock.c);
  const int64_t weight_fetch_wh = is_conv ? k.elements_wh() : 0;

  Shape4 space = min_shape(ofm, kOfmBlockMax);
  space = Shape4{round_up(space.h, a.ofm_ublock.h), round_up(space.w, a.ofm_ublock.w),
                 round_up(space.c, a.ofm_ublock.c)};

  const double inf = std::numeric_limits<double>::infinity();
  double best_cost = inf, best_coverage = inf;
  int64_t depth = std::max<int64_t>(a.ofm_ublock.c, std::min<int64_t>(space.c, kOfmSplitDepth));
  if (depth < ofm.c) depth = round_up(depth, kOfmSplitDepth);
  std::vector<char> wont_fit;
  const int64_t nh = space.h + 1, nw = space.w + 1, nmax = std::max(nh, nw);
  while (depth <= space.c) {
    wont_fit.assign(size_t(nmax * nmax), 0);  // keyed (height, width); Vela records misses transposed
    for (int64_t height = a.ofm_ublock.h; height <= space.h; height += a.ofm_ublock.h) {
      for (int64_t width = a.ofm_ublock.w; width <= space.w; width += a.ofm_ublock.w) {
        if (wont_fit[size_t(height * nmax + width)]) continue;
        // IFM block needed for this OFM block (at most one 8x8 sub-kernel), rounded to the micro-block.
        Shape4 ifm_block;
        ifm_block.h = round_up((height - 1) * k.stride_h + std::min(k.h, kSubKernelMax), a.ofm_ublock.h);
        ifm_block.w = round_up((width - 1) * k.stride_w + std::min(k.w, kSubKernelMax), a.ofm_ublock.w);
        ifm_block.c = equal_depth ? depth : ifm_blockdepth;
        Shape4 ofm_block{height, width, depth};
        // Conv1D optimisation of the 2x2 micro-block configs (IFM:accumulator ratio changes).
        if (ofm.h == 1 && k.h == 1 && a.ofm_ublock.h == 2) ofm_block.h = std::min(ofm_block.h, ofm.h);
        if (!fits_shram(a, ew, ofm_block, ifm_block, ifm_bits, ifm_granule, acc_bits, acc_granule, lut_banks)) {
          if (width < nmax && height < nmax) wont_fit[size_t(width * nmax + height)] = 1;
          continue;
        }
        const Shape4 full = div_round_up(ofm, ofm_block);
        const double bh = double(ofm.h) / double(ofm_block.h), bw = double(ofm.w) / double(ofm_block.w);
        const double bd = double(ofm.c) / double(ofm_block.c);
        double weight_fetch = double(weight_fetch_wh * ifm.c * full.elements_wh());
        if (!is_depthwise) weight_fetch = weight_fetch * (double(ofm_block.c) * bd);
        double ifm_fetch = double(ifm_block.elements_wh() * ifm.c * ifm_repeats) * (bw * bh);
        if (!equal_depth) ifm_fetch = ifm_fetch * double(full.c);
        double cost;
        if (type == BlockType::ElementWise)
          cost = std::max(double(ofm.elements()) / double(height * width * depth), 1.0);
        else
          cost = (ifm_fetch + weight_fetch) / double(ofm.elements());
        // Prefer blocks whose double-buffered IFM holds the whole IFM.
        if (ifm.elements() < ifm_block.elements() * 2) cost = cost / 2;
        if (cost <= best_cost) {
          bool choose = false;
          if (cost == best_cost) {
            // Equal cost: prefer larger IFM coverage, only for small (<= 4x4) blocks.
            const Shape4 cov = min_shape(ifm, ifm_block);
            const double coverage = double(ifm.elements_wh()) / double(cov.elements_wh());
            if (coverage <= best_coverage && height <= 4 && width <= 4) {
              best_coverage = coverage;
              choose = true;
            }
          } else {
            best_coverage = inf;
            choose = true;
          }
          if (choose) {
            best_cost = cost;
            cfg.found = true;
            cfg.ifm_block = ifm_block;
            cfg.ofm_block = Shape4{height, width, depth};
          }
        }
      }
    }
    depth += a.ofm_ublock.c;
    if (depth < ofm.c) depth = round_up(depth, kOfmSplitDepth);
  }
  return cfg;
}

Cycles measure_cycles(const ArchConfig& a, const Query& q) {
  if (q.type != BlockType::ElementWise) return conv_cycles(a, q);
  Cycles r;
  r.total = ceil_to_int(output_cycles_per_element(a, q) * double(q.ofm.elements()));
  r.output = r.total;
  r.blocks = div_round_up(q.ofm, min_shape(q.ofm, q.config.ofm_block)).elements();
  r.block_out = double(r.total) / double(r.blocks);
  return r;
}

Access measure_access(const ArchConfig& a, const Query& q) {
  (void)a;
  Access acc;
  const Shape4 ifm_block = min_shape(q.ifm, q.config.ifm_block);
  const Shape4 ofm_block = min_shape(q.ofm, q.config.ofm_block);
  Shape4 blocks = div_round_up(q.ofm, ofm_block);
  int64_t block_depth = ofm_block.c;
  const bool equal_depth = q.type == BlockType::ConvolutionDepthWise || q.type == BlockType::Pooling;
  if (equal_depth) {
    blocks.c = 1;
    block_depth = q.ifm.c;
  }
  if (q.type != BlockType::ElementWise) {
    const int lim = sub_kernel_limit(q.type);
    const int64_t sub_kernels = div_up(q.kernel.w, lim) * div_up(q.kernel.h, lim);
    const int64_t count = blocks.elements();
    acc.ifm_read = ifm_block.elements_wh() * q.ifm.c * sub_kernels * count;
    const int64_t kernel_read = equal_depth ? q.kernel.elements_wh() : q.kernel.elements_wh() * q.ifm.c;
    if (q.type != BlockType::Pooling) acc.weight_read = kernel_read * block_depth * count;
  } else {
    // A scalar operand is folded into the command (8-bit) or read once (wider).
    if (q.ifm.elements() == 1) {
      if (q.ifm_bits > 8) acc.ifm_read = 1;
      if (q.has_ifm2) acc.ifm2_read = q.ofm.elements();
    } else {
      acc.ifm_read = q.ofm.elements();
      if (q.has_ifm2) {
        if (q.ifm2.elements() > 1) acc.ifm2_read = q.ofm.elements();
        else if (q.ifm_bits > 8) acc.ifm2_read = q.ifm2.elements();
      }
    }
  }
  acc.ofm_write = q.ofm.elements();
  return acc;
}

}  // namespace u55
}  // namespace h4h
