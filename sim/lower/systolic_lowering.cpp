#include "sim/lower/systolic_lowering.h"

#include <algorithm>

namespace h4h {

namespace {

int element_bytes_of(const Precision& p) { return std::max(1, (p.activation_bits + 7) / 8); }

// The extent of input the outputs' windows cover along one axis.
int64_t window_extent(int64_t out, int kernel, int stride) { return (out - 1) * stride + kernel; }

}  // namespace

cyc::VectorCommand vector_command(const Layer& l, const Precision& p, const NpuSpec& npu,
                                  const std::vector<cyc::TensorRef>& inputs, const cyc::TensorRef& output) {
  cyc::VectorCommand v;
  const LayerCounts counts = count_layer(l, p);
  v.elements = std::max<int64_t>(counts.elementwise_ops, l.output.elements());
  if (l.op == OpKind::Reshape || l.op == OpKind::Concat || l.op == OpKind::Transpose) v.elements = l.output.elements();
  v.lanes = std::max(1, npu.array_cols);
  v.passes = 1;
  if (l.op == OpKind::Softmax) v.passes = npu.softmax_passes;
  if (l.op == OpKind::LayerNorm) v.passes = npu.layernorm_passes;
  if (l.op == OpKind::Activation && l.activation != ActivationFn::Relu && l.activation != ActivationFn::Relu6)
    v.passes = npu.lut_activation_passes * (l.activation == ActivationFn::Swish ? 2 : 1);
  v.inputs = inputs;
  // add / mul with one declared operand read it twice (x + x), as the estimator counts it.
  if ((l.op == OpKind::Add || l.op == OpKind::Mul) && inputs.size() == 1) v.inputs.push_back(inputs.front());
  v.output = output;
  return v;
}

bool lower_systolic(const Layer& l, const Precision& p, const NpuSpec& npu, const std::vector<cyc::TensorRef>& inputs,
                    const cyc::TensorRef& weights, const cyc::TensorRef& output, cyc::NpuTask* task,
                    std::string* reason) {
  if (!is_mac_op(l.op)) {
    if (l.op == OpKind::Reshape) {  // a view: no NPU work
      task->body = cyc::VectorCommand{};
      return true;
    }
    task->body = vector_command(l, p, npu, inputs, output);
    return true;
  }
  cyc::SystolicCommand c;
  c.element_bytes = element_bytes_of(p);
  c.ifmap = inputs.empty() ? cyc::TensorRef{} : inputs.front();
  c.filter = weights;
  c.ofmap = output;
  c.macs = count_layer(l, p).macs;
  switch (l.op) {
    case OpKind::Conv2d:
    case OpKind::DepthwiseConv2d: {
      if (l.stride_h != l.stride_w) {
        *reason = "the systolic engine runs one stride for both axes (SCALE-Sim); this layer has " +
                  std::to_string(l.stride_h) + " x " + std::to_string(l.stride_w);
        return false;
      }
      const bool depthwise = l.op == OpKind::DepthwiseConv2d;
      const int64_t groups = depthwise ? l.input.c : l.groups;
      // Unpadded: the input as it is (SCALE-Sim derives the same outputs); padded: the extent the
      // outputs' windows cover.
      const bool unpadded = l.padding == Padding::Valid;
      c.shape.ifmap_h = unpadded ? l.input.h : window_extent(l.output.h, l.kernel_h, l.stride_h);
      c.shape.ifmap_w = unpadded ? l.input.w : window_extent(l.output.w, l.kernel_w, l.stride_w);
      c.shape.filter_h = l.kernel_h;
      c.shape.filter_w = l.kernel_w;
      c.shape.channels = depthwise ? 1 : l.input.c / groups;
      c.shape.num_filters = l.out_channels / groups;
      c.shape.stride = l.stride_h;
      c.repeats = groups;
      break;
    }
    case OpKind::Linear:
      c.shape = cyc::gemm_layer_shape(l.input.h * l.input.w, l.out_features, l.input.c);
      break;
    case OpKind::Matmul:
      c.shape = cyc::gemm_layer_shape(l.m, l.n, l.k);
      c.repeats = l.batch;
      // The second operand is an activation in the SRAM.
      c.filter = inputs.size() > 1 ? inputs[1] : c.ifmap;
      break;
    default:
      break;
  }
  task->body = c;
  return true;
}

}  // namespace h4h
