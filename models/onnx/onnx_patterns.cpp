// Activation patterns, the unsupported-op check and the fallback shape rules.
#include <algorithm>
#include <cmath>
#include <map>

#include "models/onnx/onnx_translate.h"
#include "sim/core/error.h"

namespace h4h::onnx_import {
namespace {

bool default_domain(const onnx::NodeProto& n) { return n.domain().empty() || n.domain() == "ai.onnx"; }

std::string out0(const Graph& g, int n) { return g.node(n).output_size() > 0 ? g.node(n).output(0) : std::string(); }

bool near(std::optional<double> v, double want, double tolerance = 1e-3) {
  return v && std::fabs(*v - want) <= tolerance;
}

// The only consumer of `t` (which is no graph output); -1 otherwise.
int only_consumer(const Graph& g, const std::string& t) {
  const std::vector<int>& c = g.consumers(t);
  return c.size() == 1 && !g.is_graph_output(t) ? c[0] : -1;
}

// Binary node `n` reading `t` as one operand: the other operand ("" when `t` is not an operand).
std::string other_operand(const Graph& g, int n, const std::string& t) {
  if (g.node(n).input_size() != 2) return "";
  if (g.input(n, 0) == t) return g.input(n, 1);
  if (g.input(n, 1) == t) return g.input(n, 0);
  return "";
}

bool is_op(const Graph& g, int n, const char* op) { return n >= 0 && g.op(n) == op && default_domain(g.node(n)); }

bool hard_sigmoid_of_hswish(const Graph& g, int n) {
  return near(g.attr_float(n, "alpha", 0.2), 1.0 / 6.0) && near(g.attr_float(n, "beta", 0.5), 0.5);
}

// Clip as relu (min 0, no max) or relu6 (min 0, max 6); None for any other range.
ActivationFn clip_function(const Graph& g, int n) {
  std::optional<double> lo, hi;
  if (g.attr(n, "min") || g.attr(n, "max")) {  // opset < 11
    lo = g.attr_float(n, "min", -INFINITY);
    hi = g.attr_float(n, "max", INFINITY);
  } else {
    lo = g.input(n, 1).empty() ? std::optional<double>(-INFINITY) : g.scalar(g.input(n, 1));
    hi = g.input(n, 2).empty() ? std::optional<double>(INFINITY) : g.scalar(g.input(n, 2));
  }
  if (!lo || !hi || *lo != 0) return ActivationFn::None;
  if (*hi == 6) return ActivationFn::Relu6;
  if (std::isinf(*hi) || *hi >= 3.0e38) return ActivationFn::Relu;
  return ActivationFn::None;
}

}  // namespace

ActivationFn unary_activation(const Graph& g, int n) {
  if (!default_domain(g.node(n))) return ActivationFn::None;
  const std::string& op = g.op(n);
  if (op == "Relu") return ActivationFn::Relu;
  if (op == "Sigmoid") return ActivationFn::Sigmoid;
  if (op == "HardSigmoid") return ActivationFn::HSigmoid;
  if (op == "HardSwish") return ActivationFn::HSwish;
  if (op == "Gelu") return ActivationFn::Gelu;
  if (op == "Clip") return clip_function(g, n);
  return ActivationFn::None;
}

namespace {

// x * Sigmoid(x) (swish) and x * HardSigmoid(x) (hswish).
std::optional<ActivationMatch> match_gated(const Graph& g, const std::string& x, const std::vector<int>& cons) {
  for (int s : cons) {
    const bool sigmoid = is_op(g, s, "Sigmoid");
    if ((!sigmoid && !(is_op(g, s, "HardSigmoid") && hard_sigmoid_of_hswish(g, s))) || g.input(s, 0) != x) continue;
    const int m = only_consumer(g, out0(g, s));
    if (!is_op(g, m, "Mul") || other_operand(g, m, out0(g, s)) != x) continue;
    return ActivationMatch{sigmoid ? ActivationFn::Swish : ActivationFn::HSwish, {s, m}, out0(g, m)};
  }
  return std::nullopt;
}

// GELU as exported before opset 20: 0.5 * x * (1 + erf(x / sqrt(2))), in either association.
std::optional<ActivationMatch> match_erf_gelu(const Graph& g, const std::string& x, const std::vector<int>& cons) {
  for (int d : cons) {
    const bool div = is_op(g, d, "Div") && g.input(d, 0) == x && near(g.scalar(g.input(d, 1)), std::sqrt(2.0));
    const bool mul = is_op(g, d, "Mul") && near(g.scalar(other_operand(g, d, x)), std::sqrt(0.5));
    if (!div && !mul) continue;
    const int e = only_consumer(g, out0(g, d));
    if (!is_op(g, e, "Erf")) continue;
    const int a = only_consumer(g, out0(g, e));
    if (!is_op(g, a, "Add") || !near(g.scalar(other_operand(g, a, out0(g, e))), 1.0)) continue;
    const int other = cons[0] == d ? cons[1] : cons[0];
    if (!is_op(g, other, "Mul")) continue;
    const int m2 = only_consumer(g, out0(g, other));
    if (!is_op(g, m2, "Mul")) continue;
    const bool times_erf_first = other_operand(g, other, x) == out0(g, a) && only_consumer(g, out0(g, a)) == other &&
                                 near(g.scalar(other_operand(g, m2, out0(g, other))), 0.5);
    const bool half_first = near(g.scalar(other_operand(g, other, x)), 0.5) && only_consumer(g, out0(g, a)) == m2 &&
                            other_operand(g, m2, out0(g, other)) == out0(g, a);
    if (times_erf_first || half_first) return ActivationMatch{ActivationFn::Gelu, {d, e, a, other, m2}, out0(g, m2)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ActivationMatch> match_activation(const Graph& g, const std::string& x) {
  if (x.empty() || g.is_constant(x) || g.is_graph_output(x)) return std::nullopt;
  const std::vector<int>& cons = g.consumers(x);
  if (cons.size() == 1 && g.input(cons[0], 0) == x && !out0(g, cons[0]).empty()) {
    const ActivationFn fn = unary_activation(g, cons[0]);
    if (fn != ActivationFn::None) return ActivationMatch{fn, {cons[0]}, out0(g, cons[0])};
  }
  if (cons.size() == 2 && cons[0] != cons[1]) {
    if (auto m = match_gated(g, x, cons)) return m;
    if (auto m = match_erf_gelu(g, x, cons)) return m;
  }
  return std::nullopt;
}

void reject_unsupported(const Graph& g) {
  std::set<int> in_patterns;
  auto scan = [&](const std::string& t) {
    if (auto m = match_activation(g, t)) in_patterns.insert(m->nodes.begin(), m->nodes.end());
  };
  for (const std::string& t : g.network_inputs()) scan(t);
  for (int i = 0; i < g.node_count(); ++i)
    for (const std::string& t : g.node(i).output()) scan(t);

  const std::vector<std::string>& supported = supported_op_types();
  struct Seen {
    int count = 0, first = -1;
  };
  std::map<std::string, Seen> bad;
  int total = 0;
  for (int i = 0; i < g.node_count(); ++i) {
    if (g.is_constant_node(i) || in_patterns.count(i)) continue;
    const onnx::NodeProto& n = g.node(i);
    if (default_domain(n) && std::binary_search(supported.begin(), supported.end(), n.op_type())) continue;
    Seen& s = bad[default_domain(n) ? n.op_type() : n.domain() + "::" + n.op_type()];
    if (s.count++ == 0) s.first = i;
    ++total;
  }
  if (bad.empty()) return;
  std::string list;
  for (const auto& [op, s] : bad) {
    const std::string& name = g.node(s.first).name();
    list += (list.empty() ? "" : ", ") + op + " (" + std::to_string(s.count) + (s.count == 1 ? " node" : " nodes") +
            ", first " + (name.empty() ? "#" + std::to_string(s.first) : "'" + name + "'") + ")";
  }
  std::string known;
  for (const std::string& op : supported) known += (known.empty() ? "" : ", ") + op;
  throw_input_error(g.file(), "",
                    "unsupported ONNX ops (" + std::to_string(total) + " nodes of " + std::to_string(bad.size()) +
                        " types): " + list + ". Supported: " + known +
                        " (plus Erf in GELU, and constant/shape subgraphs)");
}

void fill_missing_dims(Graph& g) {
  static const std::set<std::string> unary = {"Relu",   "Clip",    "Sigmoid", "HardSigmoid",        "HardSwish",
                                              "Gelu",   "Erf",     "Identity", "Dropout",           "Cast",
                                              "Softmax", "LayerNormalization", "BatchNormalization", "QuantizeLinear",
                                              "DequantizeLinear"};
  static const std::set<std::string> binary = {"Add", "Sub", "Mul", "Div", "Pow"};
  for (int i = 0; i < g.node_count(); ++i) {
    const std::string out = out0(g, i);
    if (out.empty() || g.has_dims(out)) continue;
    const std::string a = g.input(i, 0), b = g.input(i, 1);
    if (unary.count(g.op(i)) && g.has_dims(a)) {
      g.set_dims(out, g.dims(i, a));
    } else if (binary.count(g.op(i)) && g.has_dims(a) && g.has_dims(b)) {
      if (auto d = broadcast_dims(g.dims(i, a), g.dims(i, b))) g.set_dims(out, *d);
    }
  }
}

}  // namespace h4h::onnx_import
