#include "tests/nas/train/onnx_reference_runner.h"

#include <cstring>
#include <functional>
#include <set>
#include <stdexcept>
#include <vector>

namespace h4h::test {

namespace {

using torch::Tensor;

[[noreturn]] void fail(const onnx::NodeProto& n, const std::string& what) {
  throw std::runtime_error("onnx reference runner: node " + n.name() + " (" + n.op_type() + "): " + what);
}

const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const std::string& name) {
  for (const onnx::AttributeProto& a : n.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback) {
  const onnx::AttributeProto* a = find_attr(n, name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::INT) fail(n, "attribute " + name + " is not an INT");
  return a->i();
}

float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback) {
  const onnx::AttributeProto* a = find_attr(n, name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::FLOAT) fail(n, "attribute " + name + " is not a FLOAT");
  return a->f();
}

std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name, std::vector<int64_t> fallback) {
  const onnx::AttributeProto* a = find_attr(n, name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::INTS) fail(n, "attribute " + name + " is not INTS");
  return {a->ints().begin(), a->ints().end()};
}

void only_attrs(const onnx::NodeProto& n, const std::set<std::string>& known) {
  for (const onnx::AttributeProto& a : n.attribute())
    if (!known.count(a.name())) fail(n, "attribute " + a.name() + " is not modelled");
}

int64_t norm_axis(const onnx::NodeProto& n, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) fail(n, "axis out of range");
  return axis < 0 ? axis + rank : axis;
}

Tensor conv(const onnx::NodeProto& n, const std::vector<Tensor>& in) {
  only_attrs(n, {"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  const onnx::AttributeProto* auto_pad = find_attr(n, "auto_pad");
  if (auto_pad && auto_pad->s() != "NOTSET") fail(n, "auto_pad other than NOTSET");
  const Tensor& x = in.at(0);
  const Tensor& w = in.at(1);
  if (x.dim() != 4 || w.dim() != 4) fail(n, "only 2-D convolutions are modelled");
  const std::vector<int64_t> kernel = attr_ints(n, "kernel_shape", {w.size(2), w.size(3)});
  if (kernel != std::vector<int64_t>{w.size(2), w.size(3)}) fail(n, "kernel_shape differs from the weight's");
  const std::vector<int64_t> pads = attr_ints(n, "pads", {0, 0, 0, 0});  // [top, left, bottom, right]
  Tensor padded = torch::constant_pad_nd(x, {pads.at(1), pads.at(3), pads.at(0), pads.at(2)}, 0.0);
  const Tensor bias = in.size() > 2 && in[2].defined() ? in[2] : Tensor();
  const std::vector<int64_t> strides = attr_ints(n, "strides", {1, 1}), dilations = attr_ints(n, "dilations", {1, 1});
  return torch::conv2d(padded, w, bias, strides, torch::IntArrayRef({0, 0}), dilations, attr_int(n, "group", 1));
}

Tensor gemm(const onnx::NodeProto& n, const std::vector<Tensor>& in) {
  only_attrs(n, {"alpha", "beta", "transA", "transB"});
  Tensor a = attr_int(n, "transA", 0) ? in.at(0).t() : in.at(0);
  Tensor b = attr_int(n, "transB", 0) ? in.at(1).t() : in.at(1);
  if (a.dim() != 2 || b.dim() != 2) fail(n, "Gemm needs 2-D operands");
  Tensor y = attr_float(n, "alpha", 1.f) * torch::mm(a, b);
  if (in.size() > 2 && in[2].defined()) y = y + attr_float(n, "beta", 1.f) * in[2];
  return y;
}

Tensor reshape(const onnx::NodeProto& n, const std::vector<Tensor>& in) {
  only_attrs(n, {"allowzero"});
  const bool allow_zero = attr_int(n, "allowzero", 0) != 0;
  const Tensor& x = in.at(0);
  const Tensor shape = in.at(1).to(torch::kLong);
  std::vector<int64_t> dims(shape.data_ptr<int64_t>(), shape.data_ptr<int64_t>() + shape.numel());
  for (size_t i = 0; i < dims.size(); ++i)
    if (dims[i] == 0 && !allow_zero) {
      if (int64_t(i) >= x.dim()) fail(n, "0 in the shape beyond the input's rank");
      dims[i] = x.size(int64_t(i));
    }
  return x.reshape(dims);  // -1 inferred, as ONNX
}

Tensor gather(const onnx::NodeProto& n, const std::vector<Tensor>& in) {
  only_attrs(n, {"axis"});
  const Tensor& data = in.at(0);
  const int64_t axis = norm_axis(n, attr_int(n, "axis", 0), data.dim());
  Tensor idx = in.at(1).to(torch::kLong);
  idx = torch::where(idx < 0, idx + data.size(axis), idx);
  std::vector<int64_t> shape(data.sizes().begin(), data.sizes().begin() + axis);
  for (int64_t d : idx.sizes()) shape.push_back(d);
  for (int64_t i = axis + 1; i < data.dim(); ++i) shape.push_back(data.size(i));
  return torch::index_select(data, axis, idx.flatten()).reshape(shape);
}

Tensor layer_norm(const onnx::NodeProto& n, const std::vector<Tensor>& in) {
  only_attrs(n, {"axis", "epsilon", "stash_type"});
  if (attr_int(n, "stash_type", 1) != 1) fail(n, "stash_type other than float");
  if (n.output_size() > 1) fail(n, "Mean and InvStdDev outputs are not modelled");
  const Tensor& x = in.at(0);
  const int64_t axis = norm_axis(n, attr_int(n, "axis", -1), x.dim());
  std::vector<int64_t> dims;
  for (int64_t i = axis; i < x.dim(); ++i) dims.push_back(i);
  const Tensor mean = x.mean(dims, /*keepdim=*/true);
  const Tensor d = x - mean;
  const Tensor var = (d * d).mean(dims, /*keepdim=*/true);
  Tensor y = d / torch::sqrt(var + attr_float(n, "epsilon", 1e-5f)) * in.at(1);
  if (in.size() > 2 && in[2].defined()) y = y + in[2];
  return y;
}

Tensor run_node(const onnx::NodeProto& n, const std::vector<Tensor>& in) {
  const std::string& op = n.op_type();
  const auto unary = [&](const std::function<Tensor(const Tensor&)>& f) {
    only_attrs(n, {});
    return f(in.at(0));
  };
  if (op == "Conv") return conv(n, in);
  if (op == "Relu") return unary([](const Tensor& x) { return torch::clamp_min(x, 0); });
  if (op == "Sigmoid") return unary([](const Tensor& x) { return torch::sigmoid(x); });
  if (op == "Erf") return unary([](const Tensor& x) { return torch::erf(x); });
  if (op == "Identity") return unary([](const Tensor& x) { return x; });
  if (op == "HardSwish")  // y = x * max(0, min(1, x / 6 + 1 / 2))
    return unary([](const Tensor& x) { return x * torch::clamp(x * (1.f / 6.f) + 0.5f, 0, 1); });
  if (op == "HardSigmoid") {  // y = max(0, min(1, alpha * x + beta))
    only_attrs(n, {"alpha", "beta"});
    return torch::clamp(attr_float(n, "alpha", 0.2f) * in.at(0) + attr_float(n, "beta", 0.5f), 0, 1);
  }
  if (op == "Clip") {
    only_attrs(n, {});
    Tensor y = in.at(0);
    if (in.size() > 1 && in[1].defined()) y = torch::max(y, in[1]);
    if (in.size() > 2 && in[2].defined()) y = torch::min(y, in[2]);
    return y;
  }
  if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div") {
    only_attrs(n, {});
    const Tensor &a = in.at(0), &b = in.at(1);
    return op == "Add" ? a + b : op == "Sub" ? a - b : op == "Mul" ? a * b : a / b;
  }
  if (op == "MatMul") {
    only_attrs(n, {});
    return torch::matmul(in.at(0), in.at(1));
  }
  if (op == "GlobalAveragePool") {
    only_attrs(n, {});
    std::vector<int64_t> spatial;
    for (int64_t i = 2; i < in.at(0).dim(); ++i) spatial.push_back(i);
    return in.at(0).mean(spatial, /*keepdim=*/true);
  }
  if (op == "Flatten") {
    only_attrs(n, {"axis"});
    const Tensor& x = in.at(0);
    const int64_t axis = attr_int(n, "axis", 1) < 0 ? attr_int(n, "axis", 1) + x.dim() : attr_int(n, "axis", 1);
    int64_t outer = 1;
    for (int64_t i = 0; i < axis; ++i) outer *= x.size(i);
    return x.reshape({outer, outer == 0 ? 0 : x.numel() / outer});
  }
  if (op == "Gemm") return gemm(n, in);
  if (op == "Reshape") return reshape(n, in);
  if (op == "Transpose") {
    only_attrs(n, {"perm"});
    std::vector<int64_t> reversed;
    for (int64_t i = in.at(0).dim() - 1; i >= 0; --i) reversed.push_back(i);
    return in.at(0).permute(attr_ints(n, "perm", reversed));
  }
  if (op == "Gather") return gather(n, in);
  if (op == "Softmax") {  // opset 13: along one axis
    only_attrs(n, {"axis"});
    return torch::softmax(in.at(0), norm_axis(n, attr_int(n, "axis", -1), in.at(0).dim()));
  }
  if (op == "LayerNormalization") return layer_norm(n, in);
  fail(n, "op not modelled");
}

}  // namespace

Tensor onnx_tensor(const onnx::TensorProto& t) {
  std::vector<int64_t> dims(t.dims().begin(), t.dims().end());
  if (t.data_type() == onnx::TensorProto::FLOAT) {
    Tensor out = torch::empty(dims, torch::kFloat);
    if (t.has_raw_data()) {
      if (t.raw_data().size() != size_t(out.numel()) * sizeof(float)) throw std::runtime_error(t.name() + ": raw_data size");
      std::memcpy(out.data_ptr<float>(), t.raw_data().data(), t.raw_data().size());
    } else {
      if (t.float_data_size() != out.numel()) throw std::runtime_error(t.name() + ": float_data size");
      std::copy(t.float_data().begin(), t.float_data().end(), out.data_ptr<float>());
    }
    return out;
  }
  if (t.data_type() == onnx::TensorProto::INT64) {
    Tensor out = torch::empty(dims, torch::kLong);
    if (t.has_raw_data()) {
      if (t.raw_data().size() != size_t(out.numel()) * sizeof(int64_t)) throw std::runtime_error(t.name() + ": raw_data size");
      std::memcpy(out.data_ptr<int64_t>(), t.raw_data().data(), t.raw_data().size());
    } else {
      if (t.int64_data_size() != out.numel()) throw std::runtime_error(t.name() + ": int64_data size");
      std::copy(t.int64_data().begin(), t.int64_data().end(), out.data_ptr<int64_t>());
    }
    return out;
  }
  throw std::runtime_error(t.name() + ": tensor type " + std::to_string(t.data_type()) + " not modelled");
}

std::map<std::string, Tensor> run_onnx(const onnx::ModelProto& model, const std::map<std::string, Tensor>& inputs) {
  const onnx::GraphProto& g = model.graph();
  std::map<std::string, Tensor> values;
  for (const onnx::TensorProto& t : g.initializer()) values[t.name()] = onnx_tensor(t);
  for (const onnx::ValueInfoProto& v : g.input()) {
    auto it = inputs.find(v.name());
    if (it == inputs.end()) {
      if (values.count(v.name())) continue;  // an initializer listed as an input
      throw std::runtime_error("onnx reference runner: no value for graph input " + v.name());
    }
    const auto& dims = v.type().tensor_type().shape().dim();
    if (int64_t(dims.size()) != it->second.dim()) throw std::runtime_error("graph input " + v.name() + ": rank differs");
    for (int i = 0; i < dims.size(); ++i)
      if (dims[i].has_dim_value() && dims[i].dim_value() != it->second.size(i))
        throw std::runtime_error("graph input " + v.name() + ": dimension " + std::to_string(i) + " differs");
    values[v.name()] = it->second.to(torch::kFloat).contiguous();
  }
  torch::NoGradGuard no_grad;
  for (const onnx::NodeProto& n : g.node()) {
    if (!n.domain().empty() && n.domain() != "ai.onnx") fail(n, "domain " + n.domain() + " not modelled");
    std::vector<Tensor> in;
    for (const std::string& name : n.input()) {
      if (name.empty()) {  // an omitted optional input
        in.emplace_back();
        continue;
      }
      auto it = values.find(name);
      if (it == values.end()) fail(n, "input " + name + " is not computed yet");
      in.push_back(it->second);
    }
    if (n.output_size() != 1) fail(n, "only single-output nodes are modelled");
    values[n.output(0)] = run_node(n, in);
  }
  std::map<std::string, Tensor> out;
  for (const onnx::ValueInfoProto& v : g.output()) out[v.name()] = values.at(v.name());
  return out;
}

}  // namespace h4h::test
