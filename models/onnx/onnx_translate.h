#pragma once
// Internal to models/onnx: the translation of a checked, shape-inferred ONNX graph into workload
// layers through NetworkBuilder. Nodes are visited in graph (topological) order; each compute node
// appends one layer named after it, and every activation tensor is bound to the layer that produced
// it (-1: a network input, read from memory).
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "models/onnx/onnx_graph.h"
#include "models/onnx/onnx_import.h"
#include "models/onnx/onnx_layout.h"
#include "models/zoo/builder.h"

namespace h4h::onnx_import {

// An activation function applied to tensor `x` alone: one unary node (Relu, Clip(0, 6), Sigmoid,
// HardSigmoid, HardSwish, Gelu) or a pattern (x * Sigmoid(x) -> swish, x * HardSigmoid(x) ->
// hswish, the Erf form of GELU). `nodes` are the pattern's nodes, `out` its result tensor.
struct ActivationMatch {
  ActivationFn fn = ActivationFn::None;
  std::vector<int> nodes;
  std::string out;
};
std::optional<ActivationMatch> match_activation(const Graph& g, const std::string& x);
// The activation function of one unary node (None for other ops and for a Clip that is neither
// relu nor relu6).
ActivationFn unary_activation(const Graph& g, int node);

// Op types with a translator (default domain), sorted.
const std::vector<std::string>& supported_op_types();

// Throws one InputError listing every op type of the graph that has no translator (with counts and
// the first node of each); constant subgraphs and nodes of matched activation patterns are exempt.
void reject_unsupported(const Graph& g);

// Fills output shapes that ONNX left unknown (ops newer than the linked library) for shape-preserving
// unary ops and broadcasting binary ops.
void fill_missing_dims(Graph& g);

class Translator {
 public:
  using Tensor = NetworkBuilder::Tensor;
  using Maker = std::function<Tensor(const std::string& name, ActivationFn fused)>;

  Translator(const Graph& g, const OnnxImportOptions& options, const std::string& workload_name);
  // Translates every node; returns the shape-inferred workload.
  Workload run();

 private:
  friend struct Ops;

  void translate(int node);
  // The tensor's producer and its shape in `layout` (default: the tensor's own layout); constants
  // are read from memory.
  Tensor operand(int node, const std::string& t) const;
  Tensor operand(int node, const std::string& t, Layout layout) const;
  Layout layout(const std::string& t) const;
  bool is_activation(const std::string& t) const { return !g_.is_constant(t); }
  // Appends the layer `make` builds for node `node`, whose result is ONNX tensor `out`. An activation
  // that only `out` feeds is fused into it (when `fusable` and fusion is on) or appended after it.
  void produce(int node, const std::string& out, bool fusable, const Maker& make);
  // `out` is `in` seen through a view (no layer).
  void forward(int node, const std::string& out, const std::string& in);
  void bind(int node, const std::string& t, const Tensor& value);
  std::string layer_name(int node);
  void consume(int node) { consumed_[size_t(node)] = true; }
  // Fields NetworkBuilder's ops do not take (rectangular windows, the padding of depthwise convs,
  // an activation fused into add / mul) are set on the built layer before the final inference.
  struct Patch {
    int layer = -1;
    bool window = false;
    int kernel_h = 1, kernel_w = 1, stride_h = 1, stride_w = 1;
    Padding padding = Padding::Same;
    ActivationFn activation = ActivationFn::None;
  };
  void patch(const Patch& p) { patches_.push_back(p); }
  // Appends a standalone activation layer when an activation pattern reads `t` (already bound).
  void activation_after(const std::string& t);

  const Graph& g_;
  const OnnxImportOptions& options_;
  NetworkBuilder b_;
  std::unordered_map<std::string, Layout> layouts_;
  std::unordered_map<std::string, int> producers_;  // activation tensor -> layer (-1: memory)
  std::vector<bool> consumed_;
  std::set<std::string> names_;
  std::vector<Patch> patches_;
  // Each layer's ONNX result tensor and its element count, checked after the final inference.
  std::vector<std::pair<std::string, int64_t>> expected_;
};

// The op translators (onnx_ops.cpp: compute; onnx_ops_data.cpp: elementwise, activations, data
// movement, views), one per ONNX op type.
struct Ops {
  using Fn = void (*)(Translator&, int node);
  static const std::map<std::string, Fn>& table();

  static void conv(Translator& t, int n);
  static void pool(Translator& t, int n);
  static void global_pool(Translator& t, int n);
  static void reduce_mean(Translator& t, int n);
  static void gemm(Translator& t, int n);
  static void matmul(Translator& t, int n);
  static void batchnorm(Translator& t, int n);
  static void layernorm(Translator& t, int n);
  static void softmax(Translator& t, int n);
  static void elementwise(Translator& t, int n);
  static void activation(Translator& t, int n);
  static void reshape(Translator& t, int n);
  static void transpose(Translator& t, int n);
  static void concat(Translator& t, int n);
  static void view(Translator& t, int n);
};

}  // namespace h4h::onnx_import
