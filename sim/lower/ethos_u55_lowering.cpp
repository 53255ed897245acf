#include "sim/lower/ethos_u55_lowering.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <utility>

#include "sim/engines/ethos_u55/ethos_u55_blocks.h"

namespace h4h {
namespace {

using cyc::U55Activation;
using cyc::U55BlockType;
using cyc::U55Command;
using cyc::U55FeatureMap;
using cyc::U55OutputKind;
using cyc::U55Shape;

// Cycles per element (Vela's table: multiples of 1/8) as a rate of elements per cycles.
cyc::U55Rate rate_of(double cycles_per_element) {
  int64_t cycles = std::llround(cycles_per_element * 8), elements = 8;
  if (cycles <= 0) return cyc::U55Rate{1, 8};
  const int64_t g = std::gcd(cycles, elements);
  return cyc::U55Rate{cycles / g, elements / g};
}

U55Shape to_shape(const Shape& s) { return U55Shape{s.h, s.w, s.c}; }
u55::Shape4 to4(const U55Shape& s) { return u55::Shape4{s.h, s.w, s.c}; }
U55Shape from4(const u55::Shape4& s) { return U55Shape{s.h, s.w, s.c}; }

U55FeatureMap dense(const U55Shape& shape, int bits, int64_t address) {
  U55FeatureMap f;
  f.shape = shape;
  f.bits = bits;
  f.address = address;
  f.set_dense_strides();
  return f;
}

U55Activation activation_kind(ActivationFn fn) {
  switch (fn) {
    case ActivationFn::None: return U55Activation::None;
    case ActivationFn::Relu:
    case ActivationFn::Relu6: return U55Activation::Relu;
    default: return U55Activation::Lut;
  }
}

int pad_before(int64_t in, int64_t out, int k, int stride, Padding p) {
  if (p == Padding::Valid) return 0;
  const int64_t total = std::max<int64_t>(0, (out - 1) * stride + k - in);
  return int(total / 2);
}

class Builder {
 public:
  Builder(const Layer& l, const Precision& p, const U55TensorAddresses& a, const cyc::U55Arch& arch,
          const u55::ArchConfig& vela)
      : l_(l), p_(p), a_(a), arch_(arch), vela_(vela), bits_(p.activation_bits) {}

  // A MAC op: weights and per-channel scale/bias, the layer's fused activation.
  void mac(U55BlockType type, U55FeatureMap ifm, U55FeatureMap ofm, cyc::U55Kernel k, bool weights_in_sram,
           int64_t weights_address) {
    U55Command c = base(type, std::move(ifm), std::move(ofm), k);
    c.has_weights = true;
    c.weights = cyc::U55Stream{weights_in_sram ? cyc::MemoryTarget::Sram : cyc::MemoryTarget::External, weights_address};
    c.weight_bits = p_.weight_bits <= 8 ? 8 : 16;
    c.has_scale_bias = true;
    c.scale_bias = cyc::U55Stream{a_.scale_bias_in_sram ? cyc::MemoryTarget::Sram : cyc::MemoryTarget::External,
                                  a_.scale_bias};
    c.activation = activation_kind(l_.activation);
    pending_.push_back(Pending{c, false, true});
    swish_tail(c.ofm);
  }

  void pooling(U55FeatureMap ifm, U55FeatureMap ofm, cyc::U55Kernel k, U55OutputKind kind, U55Activation act,
               int64_t repeat = 1) {
    if (repeat <= 0) return;
    U55Command c = base(U55BlockType::Pooling, std::move(ifm), std::move(ofm), k);
    c.output_kind = kind;
    c.activation = act;
    c.repeat = repeat;
    pending_.push_back(Pending{c, false, false});
  }

  void elementwise(U55FeatureMap ifm, const U55FeatureMap* ifm2, U55FeatureMap ofm, U55OutputKind kind,
                   U55Activation act, int64_t repeat = 1) {
    if (repeat <= 0) return;
    U55Command c = base(U55BlockType::ElementWise, std::move(ifm), std::move(ofm), cyc::U55Kernel{});
    c.output_kind = kind;
    c.activation = act;
    c.repeat = repeat;
    if (ifm2) {
      c.has_ifm2 = true;
      c.ifm2 = *ifm2;
      c.ifm2_scalar = ifm2->shape.elements() == 1;
    }
    pending_.push_back(Pending{c, c.ifm2_scalar || c.ifm.shape.elements() == 1, false});
  }

  // Fused swish: x * sigmoid(x), one more elementwise mul over the OFM, in place.
  void swish_tail(const U55FeatureMap& ofm) {
    if (l_.activation != ActivationFn::Swish) return;
    elementwise(ofm, &ofm, ofm, U55OutputKind::Mul, U55Activation::None);
  }

  // Chooses every command's block configuration; false when none fits.
  bool finish(std::vector<U55Command>* out, std::string* reason) {
    for (Pending& pc : pending_) {
      U55Command& c = pc.c;
      if (c.ifm.shape.elements() <= 0 || c.ofm.shape.elements() <= 0) continue;
      const u55::Shape4 ifm2 = to4(c.ifm2.shape);
      const u55::Kernel k{c.kernel.h, c.kernel.w, c.kernel.stride_h, c.kernel.stride_w};
      const int lut_banks = c.activation == U55Activation::Lut ? 2 : 0;
      const u55::BlockConfig cfg =
          u55::find_block_config(vela_, block_type(c.type), to4(c.ofm.shape), to4(c.ifm.shape), c.has_ifm2 ? &ifm2 : nullptr,
                                 pc.uses_scalar, bits_, k, lut_banks, pc.scaled);
      if (!cfg.found) {
        *reason = "ethos-u55: no SHRAM block configuration fits layer '" + l_.name + "'";
        return false;
      }
      c.ofm_block = from4(cfg.ofm_block);
      c.ifm_block = from4(cfg.ifm_block);
      c.traversal = cfg.part_kernel ? cyc::U55Traversal::PartKernelFirst : cyc::U55Traversal::DepthFirst;
      c.accumulator_bits = cfg.acc40 ? 40 : 32;
      c.mac_ublock = arch_.ofm_ublock;
      // 1-D mode of the 2 x 2 micro-block configurations: a one-row OFM of even width runs as 1 x 4.
      if (arch_.ofm_ublock.h == 2 && c.ofm.shape.h == 1 && c.ofm.shape.w % 2 == 0 && c.kernel.h == 1 &&
          (c.type == U55BlockType::ConvolutionMxN || c.type == U55BlockType::ConvolutionDepthWise ||
           c.type == U55BlockType::VectorProduct))
        c.mac_ublock = U55Shape{1, 4, arch_.ofm_ublock.c};
      out->push_back(c);
    }
    return true;
  }

  int bits() const { return bits_; }
  int64_t ebytes() const { return bits_ / 8; }

 private:
  struct Pending {
    U55Command c;
    bool uses_scalar;
    bool scaled;
  };

  static u55::BlockType block_type(U55BlockType t) {
    switch (t) {
      case U55BlockType::ConvolutionMxN: return u55::BlockType::ConvolutionMxN;
      case U55BlockType::ConvolutionDepthWise: return u55::BlockType::ConvolutionDepthWise;
      case U55BlockType::VectorProduct: return u55::BlockType::VectorProduct;
      case U55BlockType::Pooling: return u55::BlockType::Pooling;
      case U55BlockType::ElementWise: return u55::BlockType::ElementWise;
    }
    return u55::BlockType::ElementWise;
  }

  U55Command base(U55BlockType type, U55FeatureMap ifm, U55FeatureMap ofm, cyc::U55Kernel k) const {
    U55Command c;
    c.type = type;
    c.ifm = std::move(ifm);
    c.ofm = std::move(ofm);
    c.kernel = k;
    c.arch = arch_;
    return c;
  }

  const Layer& l_;
  const Precision& p_;
  const U55TensorAddresses& a_;
  const cyc::U55Arch& arch_;
  const u55::ArchConfig& vela_;
  int bits_;
  std::vector<Pending> pending_;
};

cyc::U55Kernel window(const Layer& l) {
  cyc::U55Kernel k;
  k.h = l.kernel_h, k.w = l.kernel_w, k.stride_h = l.stride_h, k.stride_w = l.stride_w;
  k.pad_top = pad_before(l.input.h, l.output.h, l.kernel_h, l.stride_h, l.padding);
  k.pad_left = pad_before(l.input.w, l.output.w, l.kernel_w, l.stride_w, l.padding);
  return k;
}

int64_t passes(double n) { return std::max<int64_t>(0, std::llround(n)); }

bool positive(const Shape& s) { return s.h > 0 && s.w > 0 && s.c > 0; }

}  // namespace

bool u55_arch(const NpuSpec& npu, cyc::U55Arch* out) {
  u55::ArchConfig v;
  if (!u55::make_arch_config(npu, &v)) return false;
  cyc::U55Arch a;
  a.macs = v.macs;
  a.ofm_ublock = from4(v.ofm_ublock);
  a.ifm_ublock_c = int(v.ifm_ublock.c);
  a.shram_banks = v.shram_banks;
  a.pooling_int16_half_rate = !v.is_u55_32;
  for (int i = 0; i < 8; ++i) a.output_rate[i] = rate_of(v.output_cpe[i]);
  for (int i = 0; i < 3; ++i) {
    a.activation_unlimited[i] = v.activation_cpe[i] <= 0;
    a.activation_rate[i] = rate_of(v.activation_cpe[i]);
  }
  a.port_bytes_per_cycle = 0;  // the SRAM model enforces the port's bandwidth
  *out = a;
  return true;
}

U55Lowering lower_ethos_u55(const Layer& l, const Precision& precision, const NpuSpec& npu,
                            const U55TensorAddresses& addr) {
  U55Lowering r;
  auto fail = [&](const std::string& why) {
    r.supported = false;
    r.reason = why;
    r.commands.clear();
    return r;
  };
  u55::ArchConfig vela;
  cyc::U55Arch arch;
  if (!u55::make_arch_config(npu, &vela) || !u55_arch(npu, &arch))
    return fail("ethos-u55 has 32, 64, 128 or 256 MACs per cycle, not " + std::to_string(npu.macs_per_cycle));
  const int bits = precision.activation_bits;
  if (bits != 8 && bits != 16)
    return fail("ethos-u55 model supports 8- and 16-bit activations, not " + std::to_string(bits));
  if (!positive(l.input) || !positive(l.output)) return fail("layer '" + l.name + "' has an empty input or output shape");
  if ((is_mac_op(l.op) || l.op == OpKind::AvgPool || l.op == OpKind::MaxPool) &&
      (l.kernel_h <= 0 || l.kernel_w <= 0 || l.stride_h <= 0 || l.stride_w <= 0))
    return fail("layer '" + l.name + "' has a non-positive kernel or stride");

  Builder b(l, precision, addr, arch, vela);
  const int64_t eb = b.ebytes();
  const U55Shape in = to_shape(l.input), out = to_shape(l.output);
  const U55FeatureMap ifm = dense(in, bits, addr.ifm), ofm = dense(out, bits, addr.ofm);
  const U55Activation fused = activation_kind(l.activation);
  const int64_t wb = precision.weight_bits <= 8 ? 1 : 2;
  auto extra = [&](size_t i, int64_t fallback) { return i < addr.extra_ifm.size() ? addr.extra_ifm[i] : fallback; };

  switch (l.op) {
    case OpKind::Conv2d: {
      const int64_t g = std::max<int64_t>(1, l.groups);
      if (g == 1) {
        b.mac(U55BlockType::ConvolutionMxN, ifm, ofm, window(l), addr.weights_in_sram, addr.weights);
      } else if (g == in.c && out.c % in.c == 0) {
        U55FeatureMap f = dense(U55Shape{in.h, in.w, out.c}, bits, addr.ifm);  // depth multiplier: at the OFM depth
        b.mac(U55BlockType::ConvolutionDepthWise, f, ofm, window(l), addr.weights_in_sram, addr.weights);
      } else {
        // One convolution per group, run `g` times over channel slices of the full tensors.
        U55FeatureMap fi = ifm, fo = ofm;
        fi.shape.c = in.c / g;
        fo.shape.c = out.c / g;
        b.mac(U55BlockType::ConvolutionMxN, fi, fo, window(l), addr.weights_in_sram, addr.weights);
      }
      break;
    }
    case OpKind::DepthwiseConv2d: {
      U55FeatureMap f = dense(U55Shape{in.h, in.w, out.c}, bits, addr.ifm);
      b.mac(U55BlockType::ConvolutionDepthWise, f, ofm, window(l), addr.weights_in_sram, addr.weights);
      break;
    }
    case OpKind::Linear:
      b.mac(in.h * in.w == 1 ? U55BlockType::VectorProduct : U55BlockType::ConvolutionMxN, ifm, ofm, cyc::U55Kernel{},
            addr.weights_in_sram, addr.weights);
      break;
    case OpKind::Matmul: {
      const U55FeatureMap a = dense(U55Shape{1, l.m, l.k}, bits, addr.ifm), o = dense(U55Shape{1, l.m, l.n}, bits, addr.ofm);
      b.mac(l.m == 1 ? U55BlockType::VectorProduct : U55BlockType::ConvolutionMxN, a, o, cyc::U55Kernel{}, true,
            extra(0, addr.weights));
      break;
    }
    case OpKind::Add:
    case OpKind::Mul: {
      U55FeatureMap a = ifm;
      U55FeatureMap c = dense(l.extra_inputs.empty() ? in : to_shape(l.extra_inputs[0]), bits, extra(0, addr.ifm));
      if (c.shape.elements() > a.shape.elements()) std::swap(a, c);  // the full-size operand is the primary IFM
      b.elementwise(a, &c, ofm, l.op == OpKind::Add ? U55OutputKind::Add : U55OutputKind::Mul, fused);
      b.swish_tail(ofm);
      break;
    }
    case OpKind::AvgPool:
    case OpKind::MaxPool:
      b.pooling(ifm, ofm, window(l), l.op == OpKind::MaxPool ? U55OutputKind::MaxPool : U55OutputKind::Default, fused);
      b.swish_tail(ofm);
      break;
    case OpKind::GlobalAvgPool: {
      cyc::U55Kernel k;
      k.h = int(in.h), k.w = int(in.w);
      b.pooling(ifm, ofm, k, U55OutputKind::Default, fused);
      break;
    }
    case OpKind::Softmax:
    case OpKind::LayerNorm: {
      const int64_t n = passes(l.op == OpKind::Softmax ? npu.softmax_passes : npu.layernorm_passes);
      b.elementwise(ifm, nullptr, ofm, U55OutputKind::Default, U55Activation::None, std::min<int64_t>(n, 1));
      b.elementwise(ofm, nullptr, ofm, U55OutputKind::Default, U55Activation::None, n - 1);
      break;
    }
    case OpKind::Activation:
      if (fused == U55Activation::Lut) {
        const int64_t n = passes(npu.lut_activation_passes);
        b.pooling(ifm, ofm, cyc::U55Kernel{}, U55OutputKind::Default, U55Activation::Lut, std::min<int64_t>(n, 1));
        b.pooling(ofm, ofm, cyc::U55Kernel{}, U55OutputKind::Default, U55Activation::Lut, n - 1);
        b.swish_tail(ofm);
      } else {
        b.pooling(ifm, ofm, cyc::U55Kernel{}, U55OutputKind::Default, fused);
      }
      break;
    case OpKind::Reshape:
      break;  // a view: no NPU operation
    case OpKind::Transpose: {
      // One identity pooling pass over the output, reading the input through permuted strides.
      const int64_t s_in[3] = {in.w * in.c * eb, in.c * eb, eb};
      U55FeatureMap f = dense(out, bits, addr.ifm);
      f.stride_y = s_in[l.perm[0]], f.stride_x = s_in[l.perm[1]], f.stride_c = s_in[l.perm[2]];
      b.pooling(f, ofm, cyc::U55Kernel{}, U55OutputKind::Default, U55Activation::None);
      break;
    }
    case OpKind::Concat: {
      // One identity pooling pass per operand, writing its slice of the output.
      int64_t offset = 0;
      for (size_t i = 0; i <= l.extra_inputs.size(); ++i) {
        const U55Shape s = i == 0 ? in : to_shape(l.extra_inputs[i - 1]);
        U55FeatureMap o = ofm;
        o.shape = s;
        o.address = addr.ofm + offset * (l.axis == 0 ? ofm.stride_y : l.axis == 1 ? ofm.stride_x : ofm.stride_c);
        b.pooling(dense(s, bits, i == 0 ? addr.ifm : extra(i - 1, addr.ifm)), o, cyc::U55Kernel{},
                  U55OutputKind::Default, U55Activation::None);
        offset += l.axis == 0 ? s.h : l.axis == 1 ? s.w : s.c;
      }
      break;
    }
  }

  std::string reason;
  if (!b.finish(&r.commands, &reason)) return fail(reason);

  // Repeats: grouped convolution (channel slices) and matmul batches (consecutive tensors).
  for (U55Command& c : r.commands) {
    if (l.op == OpKind::Conv2d && l.groups > 1 && !(l.groups == in.c && out.c % in.c == 0) &&
        c.type == U55BlockType::ConvolutionMxN) {
      const int64_t g = l.groups;
      c.repeat = g;
      c.repeat_ifm_stride = (in.c / g) * eb;
      c.repeat_ofm_stride = (out.c / g) * eb;
      c.repeat_weight_stride = int64_t(l.kernel_h) * l.kernel_w * (in.c / g) * (out.c / g) * wb;
      c.repeat_scale_bias_stride = (out.c / g) * c.scale_bias_bytes_per_channel;
    } else if (l.op == OpKind::Matmul && c.has_weights) {
      c.repeat = std::max<int64_t>(1, l.batch);
      c.repeat_ifm_stride = l.m * l.k * eb;
      c.repeat_ofm_stride = l.m * l.n * eb;
      c.repeat_weight_stride = l.k * l.n * eb;
    }
  }
  // A swish tail of a grouped conv / matmul covers the whole output once (repeat 1).
  return r;
}

}  // namespace h4h
