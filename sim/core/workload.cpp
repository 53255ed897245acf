#include "sim/core/workload.h"

#include <algorithm>

#include "sim/core/error.h"

namespace h4h {

int Workload::find(const std::string& layer_name) const {
  for (size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer_name) return static_cast<int>(i);
  return -1;
}

const char* op_name(OpKind op) {
  switch (op) {
    case OpKind::Conv2d: return "conv2d";
    case OpKind::DepthwiseConv2d: return "depthwise_conv2d";
    case OpKind::Linear: return "linear";
    case OpKind::Matmul: return "matmul";
    case OpKind::Add: return "add";
    case OpKind::Mul: return "mul";
    case OpKind::Softmax: return "softmax";
    case OpKind::LayerNorm: return "layernorm";
    case OpKind::Activation: return "activation";
    case OpKind::AvgPool: return "avgpool";
    case OpKind::MaxPool: return "maxpool";
    case OpKind::GlobalAvgPool: return "global_avgpool";
    case OpKind::Reshape: return "reshape";
    case OpKind::Transpose: return "transpose";
    case OpKind::Concat: return "concat";
  }
  return "?";
}

const char* activation_name(ActivationFn fn) {
  switch (fn) {
    case ActivationFn::None: return "none";
    case ActivationFn::Relu: return "relu";
    case ActivationFn::Relu6: return "relu6";
    case ActivationFn::Swish: return "swish";
    case ActivationFn::HSwish: return "hswish";
    case ActivationFn::Gelu: return "gelu";
    case ActivationFn::Sigmoid: return "sigmoid";
    case ActivationFn::HSigmoid: return "hsigmoid";
  }
  return "?";
}

std::string layer_op_name(const Layer& layer) {
  return layer.op == OpKind::Activation ? activation_name(layer.activation) : op_name(layer.op);
}

bool is_mac_op(OpKind op) {
  return op == OpKind::Conv2d || op == OpKind::DepthwiseConv2d || op == OpKind::Linear || op == OpKind::Matmul;
}

bool has_weights(OpKind op) {
  return op == OpKind::Conv2d || op == OpKind::DepthwiseConv2d || op == OpKind::Linear || op == OpKind::LayerNorm;
}

int64_t bytes_for(int64_t elements, int bits) { return (elements * bits + 7) / 8; }

int64_t window_output_size(int64_t in, int kernel, int stride, Padding padding) {
  if (padding == Padding::Same) return (in + stride - 1) / stride;
  if (in < kernel) return 0;
  return (in - kernel) / stride + 1;
}

namespace {

[[noreturn]] void fail(const std::string& file, const Layer& layer, const std::string& field, const std::string& what) {
  throw_input_error(file, "layer '" + layer.name + "'" + (field.empty() ? "" : ", field '" + field + "'"), what);
}

std::string shape_text(const Shape& s) {
  return "[" + std::to_string(s.h) + ", " + std::to_string(s.w) + ", " + std::to_string(s.c) + "]";
}

Shape window_output(const Layer& l, int64_t channels, const std::string& file) {
  Shape out{window_output_size(l.input.h, l.kernel_h, l.stride_h, l.padding),
            window_output_size(l.input.w, l.kernel_w, l.stride_w, l.padding), channels};
  if (out.h <= 0 || out.w <= 0)
    fail(file, l, "kernel", "a " + std::to_string(l.kernel_h) + "x" + std::to_string(l.kernel_w) +
                                " valid window does not fit the input " + shape_text(l.input));
  return out;
}

// Binary elementwise operands broadcast per dimension (a dimension of 1 stretches).
Shape broadcast(const Layer& l, const Shape& a, const Shape& b, const std::string& file) {
  auto dim = [&](int64_t x, int64_t y, const char* name) {
    if (x == y || y == 1) return x;
    if (x == 1) return y;
    fail(file, l, "input", std::string("operands differ in ") + name + " (" + shape_text(a) + " vs " + shape_text(b) +
                               "); expected equal sizes or 1 (broadcast)");
  };
  return Shape{dim(a.h, b.h, "height"), dim(a.w, b.w, "width"), dim(a.c, b.c, "channels")};
}

Shape infer_one(const Layer& l, const std::string& file) {
  switch (l.op) {
    case OpKind::Conv2d:
      if (l.groups <= 0 || l.input.c % l.groups != 0 || l.out_channels % l.groups != 0)
        fail(file, l, "groups", "groups (" + std::to_string(l.groups) + ") must divide input channels (" +
                                    std::to_string(l.input.c) + ") and out_channels (" +
                                    std::to_string(l.out_channels) + ")");
      return window_output(l, l.out_channels, file);
    case OpKind::DepthwiseConv2d:
      if (l.out_channels % l.input.c != 0)
        fail(file, l, "out_channels", "a depthwise conv's out_channels must be a multiple of its input channels (" +
                                          std::to_string(l.input.c) + ")");
      return window_output(l, l.out_channels, file);
    case OpKind::AvgPool:
    case OpKind::MaxPool:
      return window_output(l, l.input.c, file);
    case OpKind::GlobalAvgPool:
      return Shape{1, 1, l.input.c};
    case OpKind::Linear:
      return Shape{l.input.h, l.input.w, l.out_features};
    case OpKind::Matmul:
      return Shape{l.batch, l.m, l.n};
    case OpKind::Add:
    case OpKind::Mul:
      return l.extra_inputs.empty() ? l.input : broadcast(l, l.input, l.extra_inputs[0], file);
    case OpKind::Softmax:
    case OpKind::LayerNorm:
    case OpKind::Activation:
      return l.input;
    case OpKind::Reshape:
      if (l.reshape_to.elements() != l.input.elements())
        fail(file, l, "shape", "reshape to " + shape_text(l.reshape_to) + " changes the element count of " +
                                   shape_text(l.input));
      return l.reshape_to;
    case OpKind::Transpose: {
      const int64_t d[3] = {l.input.h, l.input.w, l.input.c};
      bool seen[3] = {false, false, false};
      for (int p : l.perm) {
        if (p < 0 || p > 2 || seen[p]) fail(file, l, "perm", "expected a permutation of [0, 1, 2]");
        seen[p] = true;
      }
      return Shape{d[l.perm[0]], d[l.perm[1]], d[l.perm[2]]};
    }
    case OpKind::Concat: {
      if (l.axis < 0 || l.axis > 2) fail(file, l, "axis", "expected 0 (h), 1 (w) or 2 (c)");
      Shape out = l.input;
      for (const Shape& s : l.extra_inputs) {
        const int64_t a[3] = {l.input.h, l.input.w, l.input.c}, b[3] = {s.h, s.w, s.c};
        for (int d = 0; d < 3; ++d)
          if (d != l.axis && a[d] != b[d])
            fail(file, l, "input", "concat operands " + shape_text(l.input) + " and " + shape_text(s) +
                                       " differ off the concat axis");
        (l.axis == 0 ? out.h : l.axis == 1 ? out.w : out.c) += b[l.axis];
      }
      return out;
    }
  }
  fail(file, l, "op", "unknown op");
}

}  // namespace

void infer_shapes(Workload& workload, const std::string& file) {
  for (size_t i = 0; i < workload.layers.size(); ++i) {
    Layer& l = workload.layers[i];
    for (int p : l.inputs)
      if (p < 0 || static_cast<size_t>(p) >= i)
        fail(file, l, "inputs", "producers must be earlier layers of the list");
    if (l.op == OpKind::Matmul) {
      l.input = Shape{l.batch, l.m, l.k};
      l.extra_inputs = {Shape{l.batch, l.k, l.n}};
    }
    l.output = infer_one(l, file);
  }
}

LayerCounts count_layer(const Layer& l, const Precision& p) {
  LayerCounts c;
  const int64_t out = l.output.elements();
  int64_t in_elems = l.input.elements();
  if ((l.op == OpKind::Add || l.op == OpKind::Mul) && l.extra_inputs.empty()) in_elems *= 2;
  for (const Shape& s : l.extra_inputs) in_elems += s.elements();
  c.input_bytes = bytes_for(in_elems, p.activation_bits);
  c.output_bytes = bytes_for(out, p.activation_bits);
  int64_t weights = 0, biases = 0;
  switch (l.op) {
    case OpKind::Conv2d:
      weights = int64_t(l.kernel_h) * l.kernel_w * (l.input.c / l.groups) * l.out_channels;
      c.macs = out * l.kernel_h * l.kernel_w * (l.input.c / l.groups);
      biases = l.bias ? l.out_channels : 0;
      break;
    case OpKind::DepthwiseConv2d:
      weights = int64_t(l.kernel_h) * l.kernel_w * l.out_channels;
      c.macs = out * l.kernel_h * l.kernel_w;
      biases = l.bias ? l.out_channels : 0;
      break;
    case OpKind::Linear:
      weights = l.input.c * l.out_features;
      c.macs = out * l.input.c;
      biases = l.bias ? l.out_features : 0;
      break;
    case OpKind::Matmul:
      c.macs = l.batch * l.m * l.k * l.n;
      break;
    case OpKind::LayerNorm:
      weights = l.input.c;  // scale
      biases = l.input.c;   // shift
      c.elementwise_ops = out;
      break;
    case OpKind::AvgPool:
    case OpKind::MaxPool:
      c.elementwise_ops = out * l.kernel_h * l.kernel_w;
      break;
    case OpKind::GlobalAvgPool:
      c.elementwise_ops = l.input.elements();
      break;
    case OpKind::Add:
    case OpKind::Mul:
    case OpKind::Softmax:
    case OpKind::Activation:
      c.elementwise_ops = out;
      break;
    case OpKind::Reshape:
    case OpKind::Transpose:
    case OpKind::Concat:
      break;
  }
  c.params = weights + biases;
  c.weight_bytes = bytes_for(weights, p.weight_bits);
  c.bias_bytes = bytes_for(biases, l.op == OpKind::LayerNorm ? p.weight_bits : p.bias_bits);
  return c;
}

WorkloadTotals count_workload(const Workload& workload) {
  WorkloadTotals t;
  for (const Layer& l : workload.layers) {
    LayerCounts c = count_layer(l, workload.precision);
    t.macs += c.macs;
    t.params += c.params;
    t.weight_bytes += c.weight_bytes;
    t.activation_bytes += c.output_bytes;
  }
  return t;
}

}  // namespace h4h
