#include "models/onnx/onnx_translate.h"

#include <algorithm>

#include "sim/core/error.h"

namespace h4h::onnx_import {

Translator::Translator(const Graph& g, const OnnxImportOptions& options, const std::string& workload_name)
    : g_(g),
      options_(options),
      b_(workload_name, Shape{1, 1, 1}),
      layouts_(assign_layouts(g)),
      consumed_(size_t(g.node_count()), false) {}

Layout Translator::layout(const std::string& t) const {
  auto it = layouts_.find(t);
  return it == layouts_.end() ? Layout::Plain : it->second;
}

Translator::Tensor Translator::operand(int node, const std::string& t) const { return operand(node, t, layout(t)); }

Translator::Tensor Translator::operand(int node, const std::string& t, Layout layout) const {
  const Shape shape = to_shape(g_.dims(node, t), layout);
  if (g_.is_constant(t)) return NetworkBuilder::from_memory(shape);
  auto it = producers_.find(t);
  if (it == producers_.end())
    g_.fail(node, "reads tensor '" + t + "' before any node produces it (expected nodes in topological order)");
  return Tensor{it->second, shape};
}

std::string Translator::layer_name(int node) {
  const onnx::NodeProto& n = g_.node(node);
  const std::string base = n.name().empty() ? n.op_type() + "_" + std::to_string(node) : n.name();
  std::string name = base;
  for (int k = 2; names_.count(name); ++k) name = base + "_" + std::to_string(k);
  names_.insert(name);
  return name;
}

void Translator::bind(int node, const std::string& t, const Tensor& value) {
  if (t.empty()) return;
  producers_[t] = value.producer;
}

void Translator::produce(int node, const std::string& out, bool fusable, const Maker& make) {
  std::optional<ActivationMatch> fused;
  if (fusable && options_.fuse_activations) fused = match_activation(g_, out);
  if (fused && std::any_of(fused->nodes.begin(), fused->nodes.end(), [&](int n) { return consumed_[size_t(n)]; }))
    fused.reset();  // only in a cyclic (invalid) graph
  const int before = b_.size();
  const Tensor t = make(layer_name(node), fused ? fused->fn : ActivationFn::None);
  if (b_.size() != before + 1) g_.fail(node, "internal error: expected one layer for this node");
  const std::string& result = fused ? fused->out : out;
  expected_.emplace_back(result, g_.has_dims(result) ? to_shape(g_.dims(node, result), Layout::Plain).elements() : -1);
  if (fused)
    for (int n : fused->nodes) consume(n);
  bind(node, result, t);
  activation_after(result);  // a further activation (relu, then a swish gate) stands alone
}

void Translator::activation_after(const std::string& t) {
  const std::optional<ActivationMatch> m = match_activation(g_, t);
  if (!m) return;
  for (int n : m->nodes)
    if (consumed_[size_t(n)]) return;  // only in a cyclic (invalid) graph
  for (int n : m->nodes) consume(n);
  const int last = m->nodes.back();
  produce(last, m->out, false, [&](const std::string& name, ActivationFn) {
    b_.set_current(operand(last, t));
    return b_.act(name, m->fn);
  });
}

void Translator::forward(int node, const std::string& out, const std::string& in) {
  if (out.empty()) return;
  bind(node, out, operand(node, in));
  activation_after(out);
}

Workload Translator::run() {
  for (const std::string& t : g_.network_inputs()) {
    producers_[t] = -1;
    activation_after(t);
  }
  for (int i = 0; i < g_.node_count(); ++i) {
    if (consumed_[size_t(i)] || g_.is_constant_node(i)) continue;
    try {
      translate(i);
    } catch (const InputError& e) {
      // Builder and shape errors name the layer only: add the file and the node.
      const std::string what = e.what();
      if (what.rfind(g_.file() + ":", 0) == 0) throw;
      g_.fail(i, what);
    }
  }
  if (b_.size() == 0)
    throw_input_error(g_.file(), "", "no layers: the graph has no compute node (expected convolutions, matmuls, ...)");

  Workload w = b_.build();
  for (const Patch& p : patches_) {
    Layer& l = w.layers[size_t(p.layer)];
    if (p.window) {
      l.kernel_h = p.kernel_h, l.kernel_w = p.kernel_w;
      l.stride_h = p.stride_h, l.stride_w = p.stride_w;
      l.padding = p.padding;
    }
    if (p.activation != ActivationFn::None) l.activation = p.activation;
  }
  infer_shapes(w, g_.file());
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const auto& [tensor, elements] = expected_[i];
    const Shape& out = w.layers[i].output;
    if (elements >= 0 && out.elements() != elements)
      throw_input_error(g_.file(), "layer '" + w.layers[i].name + "'",
                        "its output [" + std::to_string(out.h) + ", " + std::to_string(out.w) + ", " +
                            std::to_string(out.c) + "] does not hold ONNX tensor '" + tensor + "' " +
                            dims_text(g_.dims(-1, tensor)) + " (an importer bug or an inconsistent model)");
  }
  return w;
}

}  // namespace h4h::onnx_import
