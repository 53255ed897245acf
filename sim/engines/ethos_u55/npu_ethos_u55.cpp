// estimate_ethos_u55: one layer on an Arm Ethos-U55 (32/64/128/256 MACs), as Vela 3.10 costs it.
//
// Each layer is mapped to one or more Ethos-U NPU operations (block types ConvolutionMxN,
// ConvolutionDepthWise, VectorProduct, Pooling, ElementWise); for each, the SHRAM block configuration
// is searched as Vela does and the op is costed with Vela's MAC-engine / output-unit block model
// (see ethos_u55_blocks.{h,cpp}). compute_cycles is Vela's per-op "NPU" cycle count: the two-stage
// block pipeline plus the per-command overhead, without bandwidth stalls. mac_cycles and
// output_cycles are the two stages' sums over blocks before that overhead. ethos_u55_schedule gives
// the same ops as replayable block schedules; compute_cycles and the byte counts are their sums.
//
// Mapping of h4h ops (Vela's own lowering where Vela has one; stated choices where it has none):
//  - conv2d: ConvolutionMxN (grouped conv: one conv per group; groups == channels: depthwise).
//  - depthwise_conv2d: ConvolutionDepthWise (a depth multiplier is costed at the OFM depth).
//  - linear on a 1x1 input (fully connected): VectorProduct, weights streamed from flash (Vela does
//    not buffer fully-connected weights); linear over a token grid: a 1x1 ConvolutionMxN over the
//    in_h x in_w grid, weights buffered into SRAM.
//  - matmul (activation x activation): Vela 3.10 runs BATCH_MATMUL on the CPU. Here it runs on the
//    NPU as `batch` 1x1 convolutions (tokens m, in k, out n) whose second operand is streamed as the
//    weight stream from SRAM; its reads are reported in ifm2_read_bytes, not weight_read_bytes.
//  - add / mul: ElementWise (second operand broadcast when smaller).
//  - avgpool / maxpool: Pooling; global_avgpool: Pooling with a valid kernel equal to the input.
//  - softmax / layernorm: npu.softmax_passes / npu.layernorm_passes unary ElementWise passes over the
//    tensor at the generic output-unit rate (Vela lowers them to chains of elementwise/LUT ops).
//  - standalone activation: relu/relu6 = one 1x1 identity Pooling pass with the fused ReLU (Vela's
//    lowering of an unfusable activation); sigmoid/gelu/hswish/hsigmoid = npu.lut_activation_passes
//    such passes through the 256-entry LUT; swish = the LUT passes + one elementwise mul.
//  - fused activations on any op: ReLU-like at the activation rate; LUT functions at the LUT rate
//    (fused swish adds an elementwise mul).
//  - reshape: free (no NPU op; Vela removes it). transpose: one 1x1 identity Pooling pass over the
//    output (data movement through the output unit, 0 MAC). concat: one 1x1 identity Pooling pass
//    per operand writing its slice (Vela's ConcatSliceWrite lowering).
// Activations of 8 or 16 bits are supported (int16: ifm block depth 16, depthwise/pooling at half rate,
// 40-bit accumulators for scaled ops, as Vela). Bytes are Vela's element-access counts times the
// element size; weights are counted uncompressed, once per spatial OFM block; scale+bias are 10 bytes
// per output channel.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "sim/engines/ethos_u55/ethos_u55_blocks.h"
#include "sim/engines/ethos_u55/ethos_u55.h"
#include "sim/engines/npu_engine_registry.h"
#include <fmt/format.h>

namespace h4h {
namespace {

using u55::Activation;
using u55::ArchConfig;
using u55::BlockType;
using u55::OutputKind;
using u55::Query;
using u55::Shape4;

constexpr int64_t kScaleBiasBytesPerChannel = 10;

Shape4 to_shape4(const Shape& s) { return Shape4{s.h, s.w, s.c}; }

// One NPU operation of a layer's lowering, run `repeat` times.
struct NpuOp {
  Query q;
  double repeat = 1;
  int lut_banks = 0;
  bool uses_scalar = false;
  bool scaled = false;
  bool weights_are_activations = false;  // matmul: the streamed operand is an activation tensor
};

Activation activation_kind(ActivationFn fn) {
  switch (fn) {
    case ActivationFn::None: return Activation::None;
    case ActivationFn::Relu:
    case ActivationFn::Relu6: return Activation::Relu;
    default: return Activation::Lut;
  }
}

class Lowering {
 public:
  Lowering(const Layer& layer, int bits) : layer_(layer), bits_(bits) {}

  // A MAC op (convolution-like) with scale/bias per output channel.
  void mac(BlockType type, const Shape4& ifm, const Shape4& ofm, const u55::Kernel& k, int const_latency,
           double repeat = 1, bool weights_are_activations = false) {
    NpuOp op = base(type, ifm, ofm, k);
    op.q.has_scale_bias = true;
    op.q.const_read_latency = const_latency;
    op.scaled = true;
    op.repeat = repeat;
    op.weights_are_activations = weights_are_activations;
    add_with_fused_activation(op);
  }

  void pooling(const Shape4& ifm, const Shape4& ofm, const u55::Kernel& k, OutputKind kind, Activation act,
               double repeat = 1) {
    NpuOp op = base(BlockType::Pooling, ifm, ofm, k);
    op.q.out_kind = kind;
    op.q.activation = act;
    op.lut_banks = act == Activation::Lut ? 2 : 0;
    op.repeat = repeat;
    ops_.push_back(op);
  }

  // Elementwise op; `ifm2` null for unary passes.
  void elementwise(const Shape4& ifm, const Shape4* ifm2, const Shape4& ofm, OutputKind kind, Activation act,
                   double repeat = 1) {
    NpuOp op = base(BlockType::ElementWise, ifm, ofm, u55::Kernel{});
    op.q.out_kind = kind;
    op.q.activation = act;
    op.lut_banks = act == Activation::Lut ? 2 : 0;
    op.repeat = repeat;
    if (ifm2) {
      op.q.has_ifm2 = true;
      op.q.ifm2 = *ifm2;
      op.uses_scalar = ifm.elements() == 1 || ifm2->elements() == 1;
    }
    ops_.push_back(op);
  }

  void add_with_fused_activation(NpuOp op) {
    op.q.activation = activation_kind(layer_.activation);
    op.lut_banks = op.q.activation == Activation::Lut ? 2 : 0;
    ops_.push_back(op);
    if (layer_.activation == ActivationFn::Swish) {  // x * sigmoid(x): one more elementwise mul
      const Shape4 o = op.q.ofm;
      elementwise(o, &o, o, OutputKind::Mul, Activation::None, op.repeat);
    }
  }

  std::vector<NpuOp>& ops() { return ops_; }

 private:
  NpuOp base(BlockType type, const Shape4& ifm, const Shape4& ofm, const u55::Kernel& k) const {
    NpuOp op;
    op.q.type = type;
    op.q.ifm = ifm;
    op.q.ofm = ofm;
    op.q.ifm_bits = op.q.ofm_bits = bits_;
    op.q.kernel = k;
    return op;
  }

  const Layer& layer_;
  int bits_;
  std::vector<NpuOp> ops_;
};

u55::Kernel window(const Layer& l) { return u55::Kernel{l.kernel_h, l.kernel_w, l.stride_h, l.stride_w}; }

// Lowers the layer; returns false with a reason when the op cannot be mapped.
bool lower(const Layer& l, const Precision& p, const NpuSpec& npu, Lowering& low, std::string* reason) {
  const Shape4 in = to_shape4(l.input), out = to_shape4(l.output);
  const Activation fused = activation_kind(l.activation);
  switch (l.op) {
    case OpKind::Conv2d: {
      const int64_t g = std::max<int64_t>(1, l.groups);
      if (g == 1) {
        low.mac(BlockType::ConvolutionMxN, in, out, window(l), npu.sram_latency_cycles);
      } else if (g == in.c && out.c % in.c == 0) {
        Shape4 ifm = in;
        ifm.c = out.c;
        low.mac(BlockType::ConvolutionDepthWise, ifm, out, window(l), npu.sram_latency_cycles);
      } else {
        Shape4 ifm = in, ofm = out;
        ifm.c = in.c / g;
        ofm.c = out.c / g;
        low.mac(BlockType::ConvolutionMxN, ifm, ofm, window(l), npu.sram_latency_cycles, double(g));
      }
      return true;
    }
    case OpKind::DepthwiseConv2d: {
      Shape4 ifm = in;
      ifm.c = out.c;  // depth multiplier: the equal-depth op runs at the OFM depth
      low.mac(BlockType::ConvolutionDepthWise, ifm, out, window(l), npu.sram_latency_cycles);
      return true;
    }
    case OpKind::Linear:
      if (in.h * in.w == 1)
        low.mac(BlockType::VectorProduct, in, out, u55::Kernel{}, npu.external_latency_cycles);
      else
        low.mac(BlockType::ConvolutionMxN, in, out, u55::Kernel{}, npu.sram_latency_cycles);
      return true;
    case OpKind::Matmul: {
      const Shape4 a{1, l.m, l.k}, o{1, l.m, l.n};
      const BlockType t = l.m == 1 ? BlockType::VectorProduct : BlockType::ConvolutionMxN;
      low.mac(t, a, o, u55::Kernel{}, npu.sram_latency_cycles, double(std::max<int64_t>(1, l.batch)), true);
      return true;
    }
    case OpKind::Add:
    case OpKind::Mul: {
      Shape4 in1 = in, in2 = l.extra_inputs.empty() ? in : to_shape4(l.extra_inputs[0]);
      if (in2.elements() > in1.elements()) std::swap(in1, in2);  // the full-size operand is the primary IFM
      low.elementwise(in1, &in2, out, l.op == OpKind::Add ? OutputKind::Add : OutputKind::Mul, fused);
      if (l.activation == ActivationFn::Swish) low.elementwise(out, &out, out, OutputKind::Mul, Activation::None);
      return true;
    }
    case OpKind::AvgPool:
    case OpKind::MaxPool:
      low.pooling(in, out, window(l), l.op == OpKind::MaxPool ? OutputKind::MaxPool : OutputKind::Default, fused);
      if (l.activation == ActivationFn::Swish) low.elementwise(out, &out, out, OutputKind::Mul, Activation::None);
      return true;
    case OpKind::GlobalAvgPool:
      low.pooling(in, out, u55::Kernel{int(in.h), int(in.w), 1, 1}, OutputKind::Default, fused);
      return true;
    case OpKind::Softmax:
      low.elementwise(in, nullptr, out, OutputKind::Default, Activation::None, npu.softmax_passes);
      return true;
    case OpKind::LayerNorm:
      low.elementwise(in, nullptr, out, OutputKind::Default, Activation::None, npu.layernorm_passes);
      return true;
    case OpKind::Activation: {
      const u55::Kernel k1{};
      if (fused == Activation::Lut) {
        low.pooling(in, out, k1, OutputKind::Default, Activation::Lut, npu.lut_activation_passes);
        if (l.activation == ActivationFn::Swish) low.elementwise(out, &out, out, OutputKind::Mul, Activation::None);
      } else {
        low.pooling(in, out, k1, OutputKind::Default, fused);
      }
      return true;
    }
    case OpKind::Reshape:
      return true;  // a view: no NPU operation
    case OpKind::Transpose:
      low.pooling(out, out, u55::Kernel{}, OutputKind::Default, Activation::None);
      return true;
    case OpKind::Concat: {
      low.pooling(in, in, u55::Kernel{}, OutputKind::Default, Activation::None);
      for (const Shape& s : l.extra_inputs) low.pooling(to_shape4(s), to_shape4(s), u55::Kernel{}, OutputKind::Default,
                                                        Activation::None);
      return true;
    }
  }
  (void)p;
  *reason = "ethos-u55: unknown op";
  return false;
}

int64_t scaled_round(int64_t value, double repeat) { return std::llround(double(value) * repeat); }

bool positive(const Shape4& s) { return s.h > 0 && s.w > 0 && s.c > 0; }

}  // namespace

namespace {

// Lowers, configures and measures the layer's ops; fills the block schedule and, when `e` is given,
// the estimate (whose compute_cycles and bytes are the schedule's sums).
NpuSchedule build_schedule(const Layer& layer, const Precision& precision, const NpuSpec& npu, NpuComputeEstimate* e) {
  NpuSchedule s;
  auto unsupported = [&](const std::string& why) {
    s.supported = false;
    s.reason = why;
    s.ops.clear();
    return s;
  };
  ArchConfig arch;
  if (!u55::make_arch_config(npu, &arch))
    return unsupported("ethos-u55 has 32, 64, 128 or 256 MACs per cycle, not " + std::to_string(npu.macs_per_cycle));
  const int bits = precision.activation_bits;
  if (bits != 8 && bits != 16)
    return unsupported("ethos-u55 model supports 8- and 16-bit activations, not " + std::to_string(bits));
  if (!positive(to_shape4(layer.input)) || !positive(to_shape4(layer.output)))
    return unsupported("layer '" + layer.name + "' has an empty input or output shape");
  if (is_mac_op(layer.op) || layer.op == OpKind::AvgPool || layer.op == OpKind::MaxPool) {
    if (layer.kernel_h <= 0 || layer.kernel_w <= 0 || layer.stride_h <= 0 || layer.stride_w <= 0)
      return unsupported("layer '" + layer.name + "' has a non-positive kernel or stride");
  }
  if (layer.op == OpKind::Matmul && (layer.m <= 0 || layer.k <= 0 || layer.n <= 0 || layer.batch <= 0))
    return unsupported("layer '" + layer.name + "' has an empty matmul");

  Lowering low(layer, bits);
  std::string reason;
  if (!lower(layer, precision, npu, low, &reason)) return unsupported(reason);

  const int64_t act_bytes = bits / 8;
  bool first = true;
  for (NpuOp& op : low.ops()) {
    if (!positive(op.q.ifm) || !positive(op.q.ofm)) continue;
    const Shape4* ifm2 = op.q.has_ifm2 ? &op.q.ifm2 : nullptr;
    op.q.config = u55::find_block_config(arch, op.q.type, op.q.ofm, op.q.ifm, ifm2, op.uses_scalar, bits,
                                         op.q.kernel, op.lut_banks, op.scaled);
    if (!op.q.config.found) return unsupported("ethos-u55: no SHRAM block configuration fits layer '" + layer.name + "'");
    const u55::Cycles c = u55::measure_cycles(arch, op.q);
    const u55::Access a = u55::measure_access(arch, op.q);

    // Integral repeats replay Vela's blocks; a fractional pass count (a hardware-file choice for
    // softmax/layernorm/LUT passes) scales the blocks and runs on the output stage alone.
    NpuOpSchedule sop;
    if (op.repeat == std::floor(op.repeat)) {
      sop = two_stage_op(c.blocks, c.block_mac, c.block_out, c.total);
      sop.repeats = static_cast<int64_t>(op.repeat);
    } else {
      const int64_t total = scaled_round(c.total, op.repeat);
      sop.blocks = std::max<int64_t>(1, scaled_round(c.blocks, op.repeat));
      sop.out = StageCycles{total / sop.blocks, total % sop.blocks};
    }
    sop.ifm_bytes = scaled_round(a.ifm_read * act_bytes, op.repeat);
    sop.ifm2_bytes = scaled_round(a.ifm2_read * act_bytes, op.repeat);
    sop.ofm_bytes = scaled_round(a.ofm_write * act_bytes, op.repeat);
    if (op.weights_are_activations)
      sop.ifm2_bytes += scaled_round(a.weight_read * act_bytes, op.repeat);
    else
      sop.weight_bytes = scaled_round(bytes_for(a.weight_read, precision.weight_bits), op.repeat);
    if (op.q.has_scale_bias) sop.scale_bias_bytes = scaled_round(kScaleBiasBytesPerChannel * op.q.ofm.c, op.repeat);
    if (sop.repeats > 0) s.ops.push_back(sop);

    if (!e) continue;
    e->compute_cycles += sop.compute_cycles();
    e->mac_cycles += scaled_round(c.mac, op.repeat);
    e->output_cycles += scaled_round(c.output, op.repeat);
    e->ifm_read_bytes += sop.ifm_bytes;
    e->ifm2_read_bytes += sop.ifm2_bytes;
    e->ofm_write_bytes += sop.ofm_bytes;
    e->weight_read_bytes += sop.weight_bytes;
    e->scale_bias_bytes += sop.scale_bias_bytes;
    if (first) {
      const Shape4& ob = op.q.config.ofm_block;
      const Shape4& ib = op.q.config.ifm_block;
      e->ofm_block = BlockShape{ob.h, ob.w, ob.c};
      e->ifm_block = BlockShape{ib.h, ib.w, ib.c};
      first = false;
    }
  }
  return s;
}

}  // namespace

NpuSchedule ethos_u55_schedule(const Layer& layer, const Precision& precision, const NpuSpec& npu) {
  return build_schedule(layer, precision, npu, nullptr);
}

NpuComputeEstimate estimate_ethos_u55(const Layer& layer, const Precision& precision, const NpuSpec& npu) {
  NpuComputeEstimate e;
  const NpuSchedule s = build_schedule(layer, precision, npu, &e);
  if (!s.supported) {
    NpuComputeEstimate failed;
    failed.supported = false;
    failed.reason = s.reason;
    return failed;
  }
  return e;
}

namespace {

class EthosU55Engine final : public INpuEngine {
 public:
  std::string name() const override { return "ethos-u55"; }
  NpuComputeEstimate estimate(const Layer& l, const Precision& p, const NpuSpec& npu) const override {
    return estimate_ethos_u55(l, p, npu);
  }
  NpuSchedule lower(const Layer& l, const Precision& p, const NpuSpec& npu) const override {
    return ethos_u55_schedule(l, p, npu);
  }
  double peak_macs_per_cycle(const NpuSpec& npu) const override { return npu.macs_per_cycle; }
  std::string describe(const NpuSpec& npu) const override {
    return fmt::format("ethos-u55, {} MACs/cycle, SHRAM {} KB", npu.macs_per_cycle, npu.shram_kb);
  }
};

H4H_REGISTER_NPU_ENGINE(EthosU55Engine);

}  // namespace

}  // namespace h4h
