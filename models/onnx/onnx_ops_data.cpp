// Translators of elementwise ops, standalone activations, data movement and views.
#include "models/onnx/onnx_translate.h"

namespace h4h::onnx_import {
namespace {

std::string out0(const Graph& g, int n) { return g.node(n).output_size() > 0 ? g.node(n).output(0) : std::string(); }

// `d` right-aligned to `rank` dimensions (numpy broadcasting), leading ones added.
Dims aligned(const Dims& d, size_t rank) {
  Dims out(rank > d.size() ? rank - d.size() : 0, 1);
  out.insert(out.end(), d.begin(), d.end());
  return out;
}

}  // namespace

void Ops::elementwise(Translator& t, int n) {
  // Add and Sub are costed as add, Mul and Div as mul: one element operation per output element.
  const Graph& g = t.g_;
  const std::string out = out0(g, n);
  const Dims& od = g.dims(n, out);
  const Layout layout = t.layout(out);
  std::string a = g.input(n, 0), b = g.input(n, 1);
  if (g.is_constant(a)) std::swap(a, b);  // the activation first
  auto operand = [&](const std::string& s) {
    Translator::Tensor v = t.operand(n, s, layout);
    v.shape = to_shape(aligned(g.dims(n, s), od.size()), layout);
    return v;
  };
  const Translator::Tensor first = operand(a), second = operand(b);
  const bool add = g.op(n) == "Add" || g.op(n) == "Sub";
  t.produce(n, out, true, [&](const std::string& name, ActivationFn act) {
    t.b_.set_current(first);
    const Translator::Tensor r = add ? t.b_.add(name, second) : t.b_.mul(name, second);
    t.patch({t.b_.size() - 1, false, 1, 1, 1, 1, Padding::Same, act});
    return r;
  });
}

void Ops::activation(Translator& t, int n) {
  // Reached only when no producer took the activation in (see Translator::produce).
  const Graph& g = t.g_;
  const ActivationFn fn = unary_activation(g, n);
  if (fn == ActivationFn::None) {
    auto bound = [&](int i, const char* attr, double fallback) {
      if (g.attr(n, attr)) return std::to_string(g.attr_float(n, attr, fallback));
      if (g.input(n, i).empty()) return std::string(fallback < 0 ? "-inf" : "inf");
      const auto v = g.scalar(g.input(n, i));
      return v ? std::to_string(*v) : std::string("(computed)");
    };
    g.fail(n, "Clip to [" + bound(1, "min", -1) + ", " + bound(2, "max", 1) +
                  "]; the workload has relu (min 0) and relu6 (min 0, max 6) only");
  }
  const Translator::Tensor in = t.operand(n, g.input(n, 0));
  t.produce(n, out0(g, n), false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    return t.b_.act(name, fn);
  });
}

void Ops::reshape(Translator& t, int n) {
  // Reshape, Flatten, Squeeze, Unsqueeze: a reshape layer when the workload shape changes.
  const Graph& g = t.g_;
  const std::string x = g.input(n, 0), out = out0(g, n);
  const Translator::Tensor in = t.operand(n, x);
  const Shape to = to_shape(g.dims(n, out), t.layout(out));
  if (in.shape == to) return t.forward(n, out, x);
  t.produce(n, out, false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    return t.b_.reshape(name, to);
  });
}

void Ops::transpose(Translator& t, int n) {
  const Graph& g = t.g_;
  const std::string x = g.input(n, 0), out = out0(g, n);
  const Dims& xd = g.dims(n, x);
  std::vector<int64_t> perm = g.attr_ints(n, "perm");
  if (perm.empty())
    for (size_t i = 0; i < xd.size(); ++i) perm.insert(perm.begin(), int64_t(i));
  std::vector<bool> seen(xd.size(), false);
  for (int64_t p : perm) {
    if (perm.size() != xd.size() || p < 0 || p >= int64_t(xd.size()) || seen[size_t(p)])
      g.fail(n, "perm " + dims_text(perm) + " is no permutation of the " + std::to_string(xd.size()) + " axes");
    seen[size_t(p)] = true;
  }
  const Movement m = transpose_movement(xd, t.layout(x), perm, t.layout(out));
  if (m.view) return t.forward(n, out, x);
  if (!m.expressible && t.options_.on_note)
    t.options_.on_note(g.file() + ": " + g.label(n) + ": perm " + dims_text(perm) + " of " + dims_text(xd) +
                       " moves more than three groups of dimensions; costed as a three-dimensional transpose of "
                       "the same elements");
  const Translator::Tensor in{t.operand(n, x).producer, m.input};
  t.produce(n, out, false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(in);
    return t.b_.transpose(name, m.perm[0], m.perm[1], m.perm[2]);
  });
}

void Ops::concat(Translator& t, int n) {
  const Graph& g = t.g_;
  const std::string out = out0(g, n);
  const Dims& od = g.dims(n, out);
  const Layout layout = t.layout(out);
  const int axis = normalize_axis(g.attr_int(n, "axis", 0), od.size());
  if (axis < 0 || (layout == Layout::Image && axis == 0))
    g.fail(n, "axis " + std::to_string(g.attr_int(n, "axis", 0)) + " of " + dims_text(od) +
                  "; expected an axis other than the batch");
  std::vector<Translator::Tensor> parts;
  std::string only;
  for (const std::string& in : g.node(n).input()) {
    if (in.empty() || g.dims(n, in).size() != od.size())
      g.fail(n, "operand '" + in + "' is not of rank " + std::to_string(od.size()));
    parts.push_back(t.operand(n, in, layout));
    only = in;
  }
  if (parts.size() == 1) return t.forward(n, out, only);
  const int dim = workload_dim(axis, od.size(), layout);
  t.produce(n, out, false, [&](const std::string& name, ActivationFn) {
    t.b_.set_current(parts[0]);
    return t.b_.concat(name, std::vector<Translator::Tensor>(parts.begin() + 1, parts.end()), dim);
  });
}

void Ops::view(Translator& t, int n) {
  // The consumers read (part of) the input where its producer left it: no layer.
  const Graph& g = t.g_;
  const std::string x = g.input(n, 0);
  if (g.is_constant(x)) g.fail(n, "reads a constant table at run-time indices (an embedding lookup); unsupported");
  if (g.op(n) == "Gather" && !g.is_constant(g.input(n, 1)))
    g.fail(n, "its indices are computed at run time; expected constant indices");
  if (g.op(n) == "Split" || g.op(n) == "Dropout") {
    for (int i = 0; i < g.node(n).output_size(); ++i)
      if (g.op(n) == "Split" || i == 0) t.forward(n, g.node(n).output(i), x);
    return;
  }
  t.forward(n, out0(g, n), x);
}

}  // namespace h4h::onnx_import
