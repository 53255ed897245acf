#pragma once
// Internal to models/onnx: read-only lookups over a checked, shape-inferred ONNX graph: tensor
// dimensions, which tensors are constants, producers and consumers, small constant values and node
// attributes. Every error is an InputError naming the file and the node.
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <onnx/onnx_pb.h>

namespace h4h::onnx_import {

using Dims = std::vector<int64_t>;

class Graph {
 public:
  Graph(const onnx::GraphProto& graph, std::string file);

  const std::string& file() const { return file_; }
  int node_count() const { return graph_.node_size(); }
  const onnx::NodeProto& node(int i) const { return graph_.node(i); }
  const std::string& op(int i) const { return graph_.node(i).op_type(); }
  // "node 'NAME' (OP)", or "node #I (OP)" for an unnamed node.
  std::string label(int i) const;
  [[noreturn]] void fail(int node, const std::string& what) const;

  // Network inputs: graph inputs that are not initializers, in graph order.
  const std::vector<std::string>& network_inputs() const { return network_inputs_; }
  bool is_network_input(const std::string& t) const { return network_input_set_.count(t) > 0; }
  bool is_graph_output(const std::string& t) const { return outputs_.count(t) > 0; }
  // Constants: initializers, Constant outputs, shapes (Shape, Size; all shapes are static here) and
  // anything computed from constants only. They are weights or shape computations, never layers.
  bool is_constant(const std::string& t) const { return constants_.count(t) > 0; }
  // A node whose outputs are all constants (it adds no layer).
  bool is_constant_node(int i) const;

  bool has_dims(const std::string& t) const { return dims_.count(t) > 0; }
  // The tensor's dimensions (all known), or an InputError naming `node` and the tensor.
  const Dims& dims(int node, const std::string& t) const;
  void set_dims(const std::string& t, Dims d) { dims_[t] = std::move(d); }

  int producer(const std::string& t) const;  // node index; -1 for inputs and initializers
  const std::vector<int>& consumers(const std::string& t) const;

  // Values of a small constant (initializer or Constant output; float, double or integer data);
  // nullopt when the tensor is no such constant or its data is not at hand (external, too large).
  std::optional<std::vector<double>> values(const std::string& t) const;
  // A constant holding one value.
  std::optional<double> scalar(const std::string& t) const;

  const onnx::AttributeProto* attr(int node, const std::string& name) const;
  int64_t attr_int(int node, const std::string& name, int64_t fallback) const;
  double attr_float(int node, const std::string& name, double fallback) const;
  std::vector<int64_t> attr_ints(int node, const std::string& name) const;  // empty when absent
  std::string attr_string(int node, const std::string& name, const std::string& fallback) const;

  // The node's i-th input, "" when absent (optional inputs are "" or missing).
  std::string input(int node, int i) const;

 private:
  void read_dims(const onnx::ValueInfoProto& v);
  const onnx::TensorProto* constant_tensor(const std::string& t) const;

  const onnx::GraphProto& graph_;
  std::string file_;
  std::vector<std::string> network_inputs_;
  std::unordered_set<std::string> network_input_set_, outputs_, constants_;
  std::unordered_map<std::string, Dims> dims_;
  std::unordered_map<std::string, int> producer_;
  std::unordered_map<std::string, std::vector<int>> consumers_;
  std::unordered_map<std::string, const onnx::TensorProto*> tensors_;  // initializers, Constant values
};

// Numpy-style broadcast of two shapes; nullopt when they do not broadcast.
std::optional<Dims> broadcast_dims(const Dims& a, const Dims& b);
std::string dims_text(const Dims& d);

}  // namespace h4h::onnx_import
