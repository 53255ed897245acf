#include "models/onnx/onnx_graph.h"

#include <algorithm>
#include <cstring>

#include "sim/core/error.h"
#include "sim/core/workload_json.h"

namespace h4h::onnx_import {
namespace {

// Ops whose outputs are static once every input shape is: shape computations.
bool is_shape_op(const std::string& op) { return op == "Shape" || op == "Size"; }

// Reads `count` elements of type T from a tensor's typed field or its raw_data.
template <typename T, typename Field>
std::optional<std::vector<double>> read_values(const onnx::TensorProto& t, const Field& field, size_t count) {
  std::vector<double> out;
  if (t.has_raw_data()) {
    if (t.raw_data().size() != count * sizeof(T)) return std::nullopt;
    for (size_t i = 0; i < count; ++i) {
      T x;
      std::memcpy(&x, t.raw_data().data() + i * sizeof(T), sizeof(T));
      out.push_back(static_cast<double>(x));
    }
    return out;
  }
  if (static_cast<size_t>(field.size()) != count) return std::nullopt;
  for (const auto& x : field) out.push_back(static_cast<double>(static_cast<T>(x)));
  return out;
}

}  // namespace

Graph::Graph(const onnx::GraphProto& graph, std::string file) : graph_(graph), file_(std::move(file)) {
  std::unordered_set<std::string> initializers;
  for (const onnx::TensorProto& t : graph_.initializer()) {
    initializers.insert(t.name());
    constants_.insert(t.name());
    tensors_[t.name()] = &t;
    Dims d(t.dims().begin(), t.dims().end());
    dims_[t.name()] = d;
  }
  for (const onnx::ValueInfoProto& v : graph_.input()) {
    if (!initializers.count(v.name())) {
      network_inputs_.push_back(v.name());
      network_input_set_.insert(v.name());
    }
    read_dims(v);
  }
  for (const onnx::ValueInfoProto& v : graph_.value_info()) read_dims(v);
  for (const onnx::ValueInfoProto& v : graph_.output()) {
    outputs_.insert(v.name());
    read_dims(v);
  }
  for (int i = 0; i < graph_.node_size(); ++i) {
    const onnx::NodeProto& n = graph_.node(i);
    bool constant = is_shape_op(n.op_type());
    if (!constant) {
      constant = true;
      for (const std::string& in : n.input())
        if (!in.empty() && !constants_.count(in)) constant = false;
    }
    for (const std::string& in : n.input())
      if (!in.empty()) consumers_[in].push_back(i);
    for (const std::string& out : n.output()) {
      if (out.empty()) continue;
      producer_.emplace(out, i);
      if (constant) constants_.insert(out);
    }
    if (n.op_type() == "Constant" && n.output_size() == 1) {
      if (const onnx::AttributeProto* a = attr(i, "value"); a && a->has_t()) tensors_[n.output(0)] = &a->t();
    }
  }
}

void Graph::read_dims(const onnx::ValueInfoProto& v) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return;
  Dims d;
  for (const onnx::TensorShapeProto_Dimension& dim : v.type().tensor_type().shape().dim()) {
    if (!dim.has_dim_value() || dim.dim_value() < 0) return;
    d.push_back(dim.dim_value());
  }
  dims_[v.name()] = d;
}

std::string Graph::label(int i) const {
  const onnx::NodeProto& n = graph_.node(i);
  const std::string op = n.domain().empty() || n.domain() == "ai.onnx" ? n.op_type() : n.domain() + "::" + n.op_type();
  return (n.name().empty() ? "node #" + std::to_string(i) : "node '" + n.name() + "'") + " (" + op + ")";
}

void Graph::fail(int node, const std::string& what) const { throw_input_error(file_, label(node), what); }

bool Graph::is_constant_node(int i) const {
  const onnx::NodeProto& n = graph_.node(i);
  for (const std::string& out : n.output())
    if (!out.empty() && !constants_.count(out)) return false;
  return true;
}

const Dims& Graph::dims(int node, const std::string& t) const {
  const std::string where = node >= 0 ? label(node) : "tensor '" + t + "'";
  auto it = dims_.find(t);
  if (it == dims_.end())
    throw_input_error(file_, where, "the shape of tensor '" + t + "' is unknown (ONNX shape inference could not "
                                    "derive it; expected static dimensions once the batch is 1)");
  // Bounded here so that no product of dimensions (elements, folded shapes) can overflow.
  int64_t elements = 1;
  for (int64_t d : it->second) {
    if (d < 1 || d > kMaxTensorElements / elements)
      throw_input_error(file_, where, "tensor '" + t + "' " + dims_text(it->second) +
                                          ": expected dimensions of at least 1 and at most " +
                                          std::to_string(kMaxTensorElements) + " elements");
    elements *= d;
  }
  return it->second;
}

int Graph::producer(const std::string& t) const {
  auto it = producer_.find(t);
  return it == producer_.end() ? -1 : it->second;
}

const std::vector<int>& Graph::consumers(const std::string& t) const {
  static const std::vector<int> none;
  auto it = consumers_.find(t);
  return it == consumers_.end() ? none : it->second;
}

const onnx::TensorProto* Graph::constant_tensor(const std::string& t) const {
  auto it = tensors_.find(t);
  return it == tensors_.end() ? nullptr : it->second;
}

std::optional<std::vector<double>> Graph::values(const std::string& t) const {
  const int p = producer(t);
  if (p >= 0 && graph_.node(p).op_type() == "Constant") {
    if (const auto* a = attr(p, "value_float")) return std::vector<double>{a->f()};
    if (const auto* a = attr(p, "value_int")) return std::vector<double>{double(a->i())};
    if (const auto* a = attr(p, "value_floats")) return std::vector<double>(a->floats().begin(), a->floats().end());
    if (const auto* a = attr(p, "value_ints")) return std::vector<double>(a->ints().begin(), a->ints().end());
  }
  const onnx::TensorProto* tensor = constant_tensor(t);
  if (!tensor || tensor->data_location() == onnx::TensorProto::EXTERNAL) return std::nullopt;
  int64_t count = 1;
  for (int64_t d : tensor->dims()) {
    if (d < 0 || d > 4096) return std::nullopt;
    count *= d;
    if (count > 4096) return std::nullopt;
  }
  const size_t n = static_cast<size_t>(count);
  switch (tensor->data_type()) {
    case onnx::TensorProto::FLOAT: return read_values<float>(*tensor, tensor->float_data(), n);
    case onnx::TensorProto::DOUBLE: return read_values<double>(*tensor, tensor->double_data(), n);
    case onnx::TensorProto::INT64: return read_values<int64_t>(*tensor, tensor->int64_data(), n);
    case onnx::TensorProto::INT32: return read_values<int32_t>(*tensor, tensor->int32_data(), n);
    default: return std::nullopt;
  }
}

std::optional<double> Graph::scalar(const std::string& t) const {
  auto v = values(t);
  if (!v || v->size() != 1) return std::nullopt;
  return (*v)[0];
}

const onnx::AttributeProto* Graph::attr(int node, const std::string& name) const {
  for (const onnx::AttributeProto& a : graph_.node(node).attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t Graph::attr_int(int node, const std::string& name, int64_t fallback) const {
  const onnx::AttributeProto* a = attr(node, name);
  return a ? a->i() : fallback;
}

double Graph::attr_float(int node, const std::string& name, double fallback) const {
  const onnx::AttributeProto* a = attr(node, name);
  return a ? a->f() : fallback;
}

std::vector<int64_t> Graph::attr_ints(int node, const std::string& name) const {
  const onnx::AttributeProto* a = attr(node, name);
  return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
}

std::string Graph::attr_string(int node, const std::string& name, const std::string& fallback) const {
  const onnx::AttributeProto* a = attr(node, name);
  return a ? a->s() : fallback;
}

std::string Graph::input(int node, int i) const {
  const onnx::NodeProto& n = graph_.node(node);
  return i < n.input_size() ? n.input(i) : std::string();
}

std::optional<Dims> broadcast_dims(const Dims& a, const Dims& b) {
  const size_t r = std::max(a.size(), b.size());
  Dims out(r);
  for (size_t i = 0; i < r; ++i) {
    const int64_t x = i < r - a.size() ? 1 : a[i - (r - a.size())];
    const int64_t y = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (x != y && x != 1 && y != 1) return std::nullopt;
    out[i] = x == 1 ? y : x;
  }
  return out;
}

std::string dims_text(const Dims& d) {
  std::string out = "[";
  for (size_t i = 0; i < d.size(); ++i) out += (i ? ", " : "") + std::to_string(d[i]);
  return out + "]";
}

}  // namespace h4h::onnx_import
