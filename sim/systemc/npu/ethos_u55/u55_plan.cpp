#include "sim/systemc/npu/ethos_u55/u55_plan.h"

#include <algorithm>
#include <stdexcept>

namespace h4h::cyc {
namespace {

int64_t div_up(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t clamp0(int64_t v, int64_t hi) { return std::max<int64_t>(0, std::min(v, hi)); }

bool is_mac_op(U55BlockType t) {
  return t == U55BlockType::ConvolutionMxN || t == U55BlockType::ConvolutionDepthWise ||
         t == U55BlockType::VectorProduct;
}

}  // namespace

U55Plan::U55Plan(const U55Command& cmd) : cmd_(&cmd) {
  const U55Shape& ofm = cmd.ofm.shape;
  if (ofm.elements() <= 0 || cmd.ifm.shape.elements() <= 0 || cmd.repeat < 1)
    throw std::invalid_argument("U55Command: empty feature map or repeat < 1");
  if (cmd.ofm_block.elements() <= 0 || cmd.mac_ublock.elements() <= 0)
    throw std::invalid_argument("U55Command: empty OFM block or micro-block");
  block_ = U55Shape{std::min(ofm.h, cmd.ofm_block.h), std::min(ofm.w, cmd.ofm_block.w),
                    std::min(ofm.c, cmd.ofm_block.c)};
  blocks_h_ = div_up(ofm.h, block_.h);
  blocks_w_ = div_up(ofm.w, block_.w);
  blocks_c_ = div_up(ofm.c, block_.c);
  blocks_per_run_ = blocks_h_ * blocks_w_ * blocks_c_;
  blocks_ = blocks_per_run_ * cmd.repeat;

  const U55BlockType t = cmd.type;
  const bool int16 = cmd.ifm.bits == 16;
  if (t == U55BlockType::ConvolutionMxN || t == U55BlockType::VectorProduct) {
    slice_c_ = std::max<int64_t>(1, std::min(cmd.ifm.shape.c, cmd.ifm_block.c));
    slices_ = div_up(cmd.ifm.shape.c, slice_c_);
  } else {
    slice_c_ = block_.c;
    slices_ = 1;
  }
  sub_limit_ = t == U55BlockType::VectorProduct ? 1 : 8;
  if (t == U55BlockType::ElementWise) {
    subs_h_ = subs_w_ = 1;
  } else {
    subs_h_ = int(div_up(cmd.kernel.h, sub_limit_));
    subs_w_ = int(div_up(cmd.kernel.w, sub_limit_));
  }
  jobs_per_block_ = slices_ * subs_h_ * subs_w_;

  const U55Shape& u = cmd.mac_ublock;
  ux_ = div_up(block_.w, u.w);
  uy_ = div_up(block_.h, u.h);
  uz_ = div_up(block_.c, u.c);
  set_rows_ = std::max<int64_t>(1, int64_t(cmd.arch.weight_lane_entries) * u.c /
                                       std::max(1, cmd.arch.weight_decoder_entries_per_cycle));
  kernel_elements_per_step_ =
      t == U55BlockType::ConvolutionDepthWise ? 4 : (cmd.traversal == U55Traversal::PartKernelFirst ? (int16 ? 2 : 4) : 1);
  const int64_t wbytes = std::max(1, cmd.weight_bits / 8);
  if (t == U55BlockType::ConvolutionDepthWise)
    weight_bytes_per_channel_ = cmd.kernel.elements() * wbytes;
  else if (is_mac_op(t))
    weight_bytes_per_channel_ = cmd.kernel.elements() * cmd.ifm.shape.c * wbytes;
}

int64_t U55Plan::output_slots(const U55Block& b) const {
  if (elementwise()) return b.oh * b.ow * b.oc;
  return block_.elements();
}

U55Block U55Plan::block_at(int64_t index) const {
  U55Block b;
  b.run = index / blocks_per_run_;
  int64_t i = index % blocks_per_run_;
  const int64_t bz = i % blocks_c_;
  i /= blocks_c_;
  const int64_t bx = i % blocks_w_;
  const int64_t by = i / blocks_w_;
  const U55Shape& ofm = cmd_->ofm.shape;
  b.y0 = by * block_.h, b.x0 = bx * block_.w, b.c0 = bz * block_.c;
  b.oh = std::min(block_.h, ofm.h - b.y0);
  b.ow = std::min(block_.w, ofm.w - b.x0);
  b.oc = std::min(block_.c, ofm.c - b.c0);
  return b;
}

U55Job U55Plan::job_at(int64_t index) const {
  U55Job j;
  j.block = block_at(index / jobs_per_block_);
  const int64_t local = index % jobs_per_block_;
  j.first_in_block = local == 0;
  j.last_in_block = local == jobs_per_block_ - 1;
  const int64_t sub = local % (int64_t(subs_h_) * subs_w_);
  const int64_t slice = local / (int64_t(subs_h_) * subs_w_);
  const U55Kernel& k = cmd_->kernel;
  const U55BlockType t = cmd_->type;
  if (t != U55BlockType::ElementWise) {
    j.ky0 = int(sub / subs_w_) * sub_limit_;
    j.kx0 = int(sub % subs_w_) * sub_limit_;
    j.kh = std::min(sub_limit_, k.h - j.ky0);
    j.kw = std::min(sub_limit_, k.w - j.kx0);
  }
  if (t == U55BlockType::ConvolutionMxN || t == U55BlockType::VectorProduct) {
    j.ifm_c0 = slice * slice_c_;
    j.ifm_nc = std::min(slice_c_, cmd_->ifm.shape.c - j.ifm_c0);
  } else {
    j.ifm_c0 = j.block.c0;
    j.ifm_nc = clamp0(cmd_->ifm.shape.c - j.block.c0, j.block.oc);
  }
  const bool int16 = cmd_->ifm.bits == 16;
  const int64_t taps = int64_t(j.kh) * j.kw;
  const U55Arch& a = cmd_->arch;
  switch (t) {
    case U55BlockType::ConvolutionMxN:
    case U55BlockType::VectorProduct:
      if (t == U55BlockType::ConvolutionMxN && cmd_->traversal == U55Traversal::PartKernelFirst) {
        j.groups = div_up(slice_c_, 8);  // the full slice: a partial last slice is padded
        j.steps = div_up(taps, kernel_elements_per_step_);
      } else {
        j.groups = 1;
        j.steps = taps;
      }
      j.sets = j.groups * j.steps * uz_;
      j.pass_cycles = a.pass_cycles;
      break;
    case U55BlockType::ConvolutionDepthWise:
      j.steps = div_up(taps, kernel_elements_per_step_);
      j.sets = j.steps * uz_;
      j.pass_cycles = a.pass_cycles * ((int16 && a.depthwise_int16_half_rate) ? 2 : 1);
      break;
    case U55BlockType::Pooling:
      j.pooling_taps = taps;
      j.sets = uz_;  // one (weightless) set per OFM micro-block depth slice
      j.pass_cycles = std::max<int64_t>(a.pass_cycles, taps) * ((int16 && a.pooling_int16_half_rate) ? 2 : 1);
      break;
    case U55BlockType::ElementWise:
      break;
  }
  return j;
}

U55Set U55Plan::set_at(const U55Job& j, int64_t index) const {
  U55Set s;
  s.z = index % uz_;
  const int64_t rest = index / uz_;
  const int64_t step = rest % j.steps;
  const int64_t group = rest / j.steps;
  const int64_t oc_z = ofm_channels_in(j.block, s.z);
  const int64_t taps_total = int64_t(j.kh) * j.kw;
  int64_t taps, channels;
  if (cmd_->type == U55BlockType::ConvolutionDepthWise) {
    taps = clamp0(taps_total - step * kernel_elements_per_step_, kernel_elements_per_step_);
    channels = 1;
  } else if (cmd_->type == U55BlockType::ConvolutionMxN && cmd_->traversal == U55Traversal::PartKernelFirst) {
    taps = clamp0(taps_total - step * kernel_elements_per_step_, kernel_elements_per_step_);
    channels = clamp0(j.ifm_nc - group * 8, 8);
  } else {
    taps = 1;
    channels = j.ifm_nc;
  }
  s.macs_per_pixel = taps * channels * oc_z;
  s.bytes = cmd_->type == U55BlockType::Pooling ? 0 : s.macs_per_pixel * std::max(1, cmd_->weight_bits / 8);
  return s;
}

int64_t U55Plan::pixels_in(const U55Block& b, int64_t ublock) const {
  const U55Shape& u = cmd_->mac_ublock;
  const int64_t iy = ublock / ux_, ix = ublock % ux_;
  return clamp0(b.oh - iy * u.h, u.h) * clamp0(b.ow - ix * u.w, u.w);
}

int64_t U55Plan::ofm_channels_in(const U55Block& b, int64_t z) const {
  return clamp0(b.oc - z * cmd_->mac_ublock.c, cmd_->mac_ublock.c);
}

int64_t U55Plan::block_weight_bytes(const U55Block& b) const { return weight_bytes_per_channel_ * b.oc; }

int64_t U55Plan::block_weight_address(const U55Block& b) const {
  return cmd_->weights.address + b.run * cmd_->repeat_weight_stride + b.c0 * weight_bytes_per_channel_;
}

U55Window U55Plan::ifm_window(const U55Job& j) const {
  const U55Block& b = j.block;
  const U55Shape& in = cmd_->ifm.shape;
  U55Window w;
  w.c0 = j.ifm_c0;
  w.c = j.ifm_nc;
  if (cmd_->type == U55BlockType::ElementWise) {
    w.y0 = b.y0, w.x0 = b.x0, w.h = b.oh, w.w = b.ow;
    return w;
  }
  const U55Kernel& k = cmd_->kernel;
  auto range = [](int64_t o0, int64_t on, int stride, int pad, int k0, int kn, int64_t size, int64_t* lo, int64_t* n) {
    const int64_t first = o0 * stride - pad + k0;
    const int64_t last = (o0 + on - 1) * stride - pad + k0 + kn - 1;
    const int64_t a = std::max<int64_t>(0, first), e = std::min<int64_t>(size - 1, last);
    *lo = a;
    *n = std::max<int64_t>(0, e - a + 1);
  };
  range(b.y0, b.oh, k.stride_h, k.pad_top, j.ky0, j.kh, in.h, &w.y0, &w.h);
  range(b.x0, b.ow, k.stride_w, k.pad_left, j.kx0, j.kw, in.w, &w.x0, &w.w);
  return w;
}

U55Window U55Plan::ifm2_window(const U55Job& j) const {
  const U55Block& b = j.block;
  const U55Shape& s = cmd_->ifm2.shape;
  U55Window w;
  if (s.h == 1) w.y0 = 0, w.h = 1; else w.y0 = b.y0, w.h = b.oh;
  if (s.w == 1) w.x0 = 0, w.w = 1; else w.x0 = b.x0, w.w = b.ow;
  if (s.c == 1) w.c0 = 0, w.c = 1; else w.c0 = b.c0, w.c = b.oc;
  return w;
}

}  // namespace h4h::cyc
