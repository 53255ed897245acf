// Translators of the compute ops: Conv, pools, Gemm / MatMul, normalisations, Softmax.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/onnx/onnx_translate.h"

namespace h4h::onnx_import {
namespace {

std::string out0(const Graph& g, int n) { return g.node(n).output_size() > 0 ? g.node(n).output(0) : std::string(); }

// The only consumer of `t` when it is `op` reading `t` as its first input; -1 otherwise.
int sole_consumer(const Graph& g, const std::string& t, const char* op) {
  const std::vector<int>& c = g.consumers(t);
  if (c.size() != 1 || g.is_graph_output(t) || g.op(c[0]) != op || g.input(c[0], 0) != t) return -1;
  return c[0];
}

std::string hw_text(int64_t h, int64_t w) { return std::to_string(h) + "x" + std::to_string(w); }

int64_t product(const Dims& d, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t i = from; i < to && i < d.size(); ++i) p *= d[i];
  return p;
}

// Kernel, stride and padding of a 2-D window op over input `x` giving output `y` (NCHW dims).
struct Window {
  int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
  Padding padding = Padding::Same;
};

Window window(const Graph& g, int n, const Dims& x, const Dims& y, int64_t kernel_h, int64_t kernel_w) {
  for (int64_t d : g.attr_ints(n, "dilations"))
    if (d != 1)
      g.fail(n, "dilations " + dims_text(g.attr_ints(n, "dilations")) +
                    ": the workload has no dilated windows; expected dilations of 1");
  Window w;
  std::vector<int64_t> strides = g.attr_ints(n, "strides");
  if (strides.empty()) strides = {1, 1};
  if (strides.size() != 2 || kernel_h < 1 || kernel_w < 1 || kernel_h > 1024 || kernel_w > 1024 || strides[0] < 1 ||
      strides[1] < 1 || strides[0] > 1024 || strides[1] > 1024)
    g.fail(n, "kernel " + hw_text(kernel_h, kernel_w) + ", strides " + dims_text(strides) +
                  ": expected a 2-D window with sides and strides in [1, 1024]");
  w.kernel_h = int(kernel_h), w.kernel_w = int(kernel_w);
  w.stride_h = int(strides[0]), w.stride_w = int(strides[1]);
  // The workload pads "same" (output ceil(in / stride)) or "valid" (no padding): take the one that
  // gives ONNX's output size, so MACs and window reads agree exactly.
  auto fits = [&](Padding p) {
    return window_output_size(x[2], w.kernel_h, w.stride_h, p) == y[2] &&
           window_output_size(x[3], w.kernel_w, w.stride_w, p) == y[3];
  };
  if (fits(Padding::Same)) return w;
  w.padding = Padding::Valid;
  if (fits(Padding::Valid)) return w;
  g.fail(n, "pads " + dims_text(g.attr_ints(n, "pads")) + " (auto_pad " + g.attr_string(n, "auto_pad", "NOTSET") +
                ") give a " + hw_text(y[2], y[3]) + " output from " + hw_text(x[2], x[3]) +
                "; the workload's padding gives 'same' " +
                hw_text(window_output_size(x[2], w.kernel_h, w.stride_h, Padding::Same),
                        window_output_size(x[3], w.kernel_w, w.stride_w, Padding::Same)) +
                " or 'valid' " +
                hw_text(window_output_size(x[2], w.kernel_h, w.stride_h, Padding::Valid),
                        window_output_size(x[3], w.kernel_w, w.stride_w, Padding::Valid)));
}

void require_rank4(const Graph& g, int n, const Dims& d, const std::string& what) {
  if (d.size() != 4)
    g.fail(n, what + " of rank " + std::to_string(d.size()) + "; expected a 2-D NCHW tensor (rank 4)");
}

}  // namespace

void Ops::conv(Translator& t, int n) {
  const Graph& g = t.g_;
  const std::string x = g.input(n, 0), weight = g.input(n, 1);
  if (!g.is_constant(weight)) g.fail(n, "the weight (input 1) is computed at run time; expected a constant");
  const Dims& xd = g.dims(n, x);
  const Dims& wd = g.dims(n, weight);
  require_rank4(g, n, xd, "input");
  require_rank4(g, n, wd, "weight");
  const Dims& yd = g.dims(n, out0(g, n));
  require_rank4(g, n, yd, "output");
  const int64_t groups = g.attr_int(n, "group", 1), cin = xd[1], cout = wd[0];
  if (groups < 1 || cin % groups != 0 || cout % groups != 0 || wd[1] * groups != cin)
    g.fail(n, "group " + std::to_string(groups) + " does not fit input channels " + std::to_string(cin) +
                  " and weight " + dims_text(wd));
  const Window win = window(g, n, xd, yd, wd[2], wd[3]);
  bool bias = !g.input(n, 2).empty();
  std::string out = out0(g, n);
  if (const int bn = sole_consumer(g, out, "BatchNormalization"); bn >= 0) {  // folded: scale and shift
    t.consume(bn);
    out = out0(g, bn);
    bias = true;
  }
  const bool depthwise = groups > 1 && groups == cin && cout == cin;
  const Translator::Tensor in = t.operand(n, x, Layout::Image);
  t.produce(n, out, true, [&](const std::string& name, ActivationFn act) {
    NetworkBuilder& b = t.b_;
    b.set_current(in);
    const Translator::Tensor r = depthwise ? b.depthwise(name, 1, 1, act, bias)
                                           : b.conv(name, cout, 1, 1, act, groups, bias, Padding::Same);
    t.patch({b.size() - 1, true, win.kernel_h, win.kernel_w, win.stride_h, win.stride_w, win.padding});
    return r;
  });
}

void Ops::pool(Translator& t, int n) {
  const Graph& g = t.g_;
  const Dims& xd = g.dims(n, g.input(n, 0));
  require_rank4(g, n, xd, "input");
  if (g.node(n).output_size() > 1 && !g.node(n).output(1).empty() && !g.consumers(g.node(n).output(1)).empty())
    g.fail(n, "its Indices output is used; expected only the pooled values");
  const std::vector<int64_t> k = g.attr_ints(n, "kernel_shape");
  if (k.size() != 2) g.fail(n, "kernel_shape " + dims_text(k) + ": expected a 2-D window");
  const Dims& yd = g.dims(n, out0(g, n));
  require_rank4(g, n, yd, "output");
  const Window win = window(g, n, xd, yd, k[0], k[1]);
  const bool max = g.op(n) == "MaxPool";
  const Translator::Tensor in = t.operand(n, g.input(n, 0), Layout::Image);
  t.produce(n, out0(g, n), false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    const Translator::Tensor r = max ? t.b_.maxpool(name, 1, 1) : t.b_.avgpool(name, 1, 1);
    t.patch({t.b_.size() - 1, true, win.kernel_h, win.kernel_w, win.stride_h, win.stride_w, win.padding});
    return r;
  });
}

void Ops::global_pool(Translator& t, int n) {
  const Graph& g = t.g_;
  const Dims& xd = g.dims(n, g.input(n, 0));
  require_rank4(g, n, xd, "input");
  const Translator::Tensor in = t.operand(n, g.input(n, 0), Layout::Image);
  if (g.op(n) == "GlobalMaxPool" && (xd[2] > 1024 || xd[3] > 1024))
    g.fail(n, "a " + hw_text(xd[2], xd[3]) + " window; expected sides of at most 1024");
  t.produce(n, out0(g, n), false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    if (g.op(n) == "GlobalAveragePool") return t.b_.global_avgpool(name);
    const Translator::Tensor r = t.b_.maxpool(name, 1, 1);  // a valid window over the whole plane
    t.patch({t.b_.size() - 1, true, int(xd[2]), int(xd[3]), 1, 1, Padding::Valid});
    return r;
  });
}

void Ops::reduce_mean(Translator& t, int n) {
  const Graph& g = t.g_;
  const std::string x = g.input(n, 0);
  const Dims& xd = g.dims(n, x);
  std::vector<int64_t> axes = g.attr_ints(n, "axes");
  if (!g.input(n, 1).empty()) {  // opset 18: axes as an input
    const auto v = g.values(g.input(n, 1));
    if (!v) g.fail(n, "its axes are computed at run time; expected constant axes");
    for (double a : *v) axes.push_back(std::fabs(a) <= 64 ? int64_t(a) : int64_t(64));  // 64: out of range
  }
  std::vector<bool> reduced(xd.size(), axes.empty());
  for (int64_t a : axes) {
    const int axis = normalize_axis(a, xd.size());
    if (axis < 0) g.fail(n, "axis " + std::to_string(a) + " is out of range for " + dims_text(xd));
    reduced[size_t(axis)] = true;
  }
  // A global average pool: every spatial (h, w) dimension averaged, channels kept.
  const Layout layout = t.layout(x);
  for (size_t a = 0; a < xd.size(); ++a)
    if (xd[a] > 1 && reduced[a] != (workload_dim(int(a), xd.size(), layout) != 2))
      g.fail(n, "a mean over axes " + dims_text(axes) + " of " + dims_text(xd) +
                    "; expected the mean over every spatial axis (a global average pool), channels kept");
  const Translator::Tensor in = t.operand(n, x);
  t.produce(n, out0(g, n), false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    return t.b_.global_avgpool(name);
  });
}

void Ops::gemm(Translator& t, int n) {
  const Graph& g = t.g_;
  const std::string a = g.input(n, 0), w = g.input(n, 1);
  if (!g.is_constant(w) || g.is_constant(a))
    g.fail(n, "expected an activation times constant weights (A computed, B an initializer)");
  const Dims& ad = g.dims(n, a);
  const Dims& wd = g.dims(n, w);
  if (ad.size() != 2 || wd.size() != 2) g.fail(n, "expected 2-D operands, got " + dims_text(ad) + " x " + dims_text(wd));
  const bool trans_a = g.attr_int(n, "transA", 0) != 0, trans_b = g.attr_int(n, "transB", 0) != 0;
  const int64_t m = trans_a ? ad[1] : ad[0], k = trans_a ? ad[0] : ad[1], features = trans_b ? wd[0] : wd[1];
  const bool bias = !g.input(n, 2).empty();
  const Translator::Tensor in{t.operand(n, a).producer, Shape{1, m, k}};
  t.produce(n, out0(g, n), true, [&](const std::string& name, ActivationFn act) {
    t.b_.set_current(in);
    return t.b_.linear(name, features, act, bias);
  });
}

void Ops::matmul(Translator& t, int n) {
  const Graph& g = t.g_;
  const std::string a = g.input(n, 0), b = g.input(n, 1);
  const Dims& ad = g.dims(n, a);
  const Dims& bd = g.dims(n, b);
  const Dims& od = g.dims(n, out0(g, n));
  if (ad.empty() || bd.empty()) g.fail(n, "a scalar operand; expected tensors of rank 1 or more");
  if (g.is_constant(b) && bd.size() == 2) {  // x @ W: a linear layer on the last dimension
    std::string out = out0(g, n);
    bool bias = false;
    // Add(x @ W, b) (either order) with a constant b of N values: the linear's bias.
    const std::vector<int>& c = g.consumers(out);
    if (c.size() == 1 && !g.is_graph_output(out) && g.op(c[0]) == "Add" && g.node(c[0]).input_size() == 2) {
      const std::string other = g.input(c[0], 0) == out ? g.input(c[0], 1) : g.input(c[0], 0);
      if (g.is_constant(other) && g.has_dims(other)) {
        const Dims& cd = g.dims(n, other);
        if (!cd.empty() && cd.back() == bd[1] && product(cd, 0, cd.size()) == bd[1]) {
          t.consume(c[0]);
          out = out0(g, c[0]);
          bias = true;
        }
      }
    }
    const Translator::Tensor in = t.operand(n, a, Layout::Plain);
    t.produce(n, out, true, [&](const std::string& name, ActivationFn act) {
      t.b_.set_current(in);
      return t.b_.linear(name, bd[1], act, bias);
    });
    return;
  }
  // Activation x activation (constants, e.g. batched weights, are read from memory).
  const int64_t m = ad.size() >= 2 ? ad[ad.size() - 2] : 1, k = ad.back();
  const int64_t cols = bd.size() >= 2 ? bd.back() : 1;
  if ((bd.size() >= 2 ? bd[bd.size() - 2] : bd[0]) != k)
    g.fail(n, "operands " + dims_text(ad) + " x " + dims_text(bd) + " do not share the inner dimension");
  const int64_t out_elements = product(od, 0, od.size());
  const int64_t batch = m * cols > 0 ? out_elements / (m * cols) : 0;
  const Translator::Tensor ta = t.operand(n, a), tb = t.operand(n, b);
  t.produce(n, out0(g, n), false, [&](const std::string& name, ActivationFn) {
    return t.b_.matmul(name, ta, tb, batch, m, k, cols);
  });
}

void Ops::batchnorm(Translator& t, int n) {
  // Not after a conv (that case is folded): a per-channel affine, costed as a mul by a [C] operand.
  const Graph& g = t.g_;
  const std::string x = g.input(n, 0), out = out0(g, n);
  const Dims& xd = g.dims(n, x);
  if (xd.size() < 2) g.fail(n, "input " + dims_text(xd) + "; expected [N, C, ...]");
  Dims scale(xd.size(), 1);
  scale[1] = xd[1];
  const Layout layout = t.layout(out);
  const Translator::Tensor in = t.operand(n, x, layout);
  const Translator::Tensor other = NetworkBuilder::from_memory(to_shape(scale, layout));
  t.produce(n, out, true, [&](const std::string& name, ActivationFn act) {
    t.b_.set_current(in);
    const Translator::Tensor r = t.b_.mul(name, other);
    t.patch({t.b_.size() - 1, false, 1, 1, 1, 1, Padding::Same, act});
    return r;
  });
}

void Ops::layernorm(Translator& t, int n) {
  const Graph& g = t.g_;
  const Dims& xd = g.dims(n, g.input(n, 0));
  const int axis = normalize_axis(g.attr_int(n, "axis", -1), xd.size());
  if (axis < 0 || product(xd, size_t(axis), xd.size() - 1) != 1)
    g.fail(n, "normalises over axes from " + std::to_string(g.attr_int(n, "axis", -1)) + " of " + dims_text(xd) +
                  "; expected the last axis (channels)");
  const Translator::Tensor in = t.operand(n, g.input(n, 0), Layout::Plain);
  t.produce(n, out0(g, n), false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    return t.b_.layernorm(name);
  });
}

void Ops::softmax(Translator& t, int n) {
  const Translator::Tensor in = t.operand(n, t.g_.input(n, 0));
  t.produce(n, out0(t.g_, n), false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    return t.b_.softmax(name);
  });
}

const std::map<std::string, Ops::Fn>& Ops::table() {
  static const std::map<std::string, Fn> ops = {
      {"Conv", conv},
      {"MaxPool", pool},
      {"AveragePool", pool},
      {"GlobalAveragePool", global_pool},
      {"GlobalMaxPool", global_pool},
      {"ReduceMean", reduce_mean},
      {"Gemm", gemm},
      {"MatMul", matmul},
      {"BatchNormalization", batchnorm},
      {"LayerNormalization", layernorm},
      {"Softmax", softmax},
      {"Add", elementwise},
      {"Sub", elementwise},
      {"Mul", elementwise},
      {"Div", elementwise},
      {"Relu", activation},
      {"Clip", activation},
      {"Sigmoid", activation},
      {"HardSigmoid", activation},
      {"HardSwish", activation},
      {"Gelu", activation},
      {"Reshape", reshape},
      {"Flatten", reshape},
      {"Squeeze", reshape},
      {"Unsqueeze", reshape},
      {"Transpose", transpose},
      {"Concat", concat},
      {"Identity", view},
      {"Dropout", view},
      {"Cast", view},
      {"QuantizeLinear", view},
      {"DequantizeLinear", view},
      {"Slice", view},
      {"Gather", view},
      {"Split", view},
  };
  return ops;
}

const std::vector<std::string>& supported_op_types() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, fn] : Ops::table()) out.push_back(name);
    return out;  // std::map keeps them sorted
  }();
  return names;
}

void Translator::translate(int node) {
  auto it = Ops::table().find(g_.op(node));
  if (it == Ops::table().end()) g_.fail(node, "unsupported op");  // reject_unsupported lists them first
  it->second(*this, node);
}

}  // namespace h4h::onnx_import
