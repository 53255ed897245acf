#include "sim/core/workload_json.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {
namespace {

using nlohmann::json;

struct OpSpec {
  OpKind op;
  ActivationFn fn;
  std::set<std::string> keys;  // allowed keys besides name, op, inputs
};

const std::map<std::string, OpSpec>& op_table() {
  static const std::map<std::string, OpSpec> table = [] {
    std::map<std::string, OpSpec> t;
    const std::set<std::string> unary = {"input"};
    t["conv2d"] = {OpKind::Conv2d, ActivationFn::None,
                   {"input", "out_channels", "kernel", "stride", "groups", "padding", "bias", "activation"}};
    t["depthwise_conv2d"] = {OpKind::DepthwiseConv2d, ActivationFn::None,
                             {"input", "out_channels", "kernel", "stride", "padding", "bias", "activation"}};
    t["linear"] = {OpKind::Linear, ActivationFn::None,
                   {"input", "tokens", "in_features", "out_features", "bias", "activation"}};
    t["matmul"] = {OpKind::Matmul, ActivationFn::None, {"batch", "m", "k", "n"}};
    t["add"] = {OpKind::Add, ActivationFn::None, {"input", "input2", "activation"}};
    t["mul"] = {OpKind::Mul, ActivationFn::None, {"input", "input2", "activation"}};
    t["softmax"] = {OpKind::Softmax, ActivationFn::None, unary};
    t["layernorm"] = {OpKind::LayerNorm, ActivationFn::None, unary};
    t["avgpool"] = {OpKind::AvgPool, ActivationFn::None, {"input", "kernel", "stride", "padding"}};
    t["maxpool"] = {OpKind::MaxPool, ActivationFn::None, {"input", "kernel", "stride", "padding"}};
    t["global_avgpool"] = {OpKind::GlobalAvgPool, ActivationFn::None, unary};
    t["reshape"] = {OpKind::Reshape, ActivationFn::None, {"input", "shape"}};
    t["transpose"] = {OpKind::Transpose, ActivationFn::None, {"input", "perm"}};
    t["concat"] = {OpKind::Concat, ActivationFn::None, {"input", "axis"}};
    const std::pair<const char*, ActivationFn> acts[] = {
        {"relu", ActivationFn::Relu},       {"relu6", ActivationFn::Relu6},     {"swish", ActivationFn::Swish},
        {"silu", ActivationFn::Swish},      {"hswish", ActivationFn::HSwish},   {"gelu", ActivationFn::Gelu},
        {"sigmoid", ActivationFn::Sigmoid}, {"hsigmoid", ActivationFn::HSigmoid}};
    for (auto& [name, fn] : acts) t[name] = {OpKind::Activation, fn, unary};
    return t;
  }();
  return table;
}

std::string known_ops() {
  std::string out;
  for (auto& [name, spec] : op_table()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// Reads one layer object, naming the file, the layer and the key in every error.
class LayerReader {
 public:
  LayerReader(const json& obj, std::string file, std::string where) : obj_(obj), file_(std::move(file)), where_(std::move(where)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw_input_error(file_, where_ + (key.empty() ? "" : ", field '" + key + "'"), what);
  }
  bool has(const std::string& key) const { return obj_.contains(key); }

  int64_t integer(const std::string& key, int64_t lo, int64_t hi) const {
    if (!has(key)) fail(key, "missing; expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return integer_value(obj_.at(key), key, lo, hi);
  }
  int64_t integer_or(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const {
    return has(key) ? integer(key, lo, hi) : fallback;
  }
  int64_t integer_value(const json& v, const std::string& key, int64_t lo, int64_t hi) const {
    if (!v.is_number_integer()) fail(key, "expected an integer, got " + std::string(v.type_name()) + " " + v.dump());
    int64_t x = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v.get<int64_t>();
    if (x < lo || x > hi)
      fail(key, "value " + std::to_string(x) + " out of range; expected [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return x;
  }
  std::string string(const std::string& key) const {
    const json& v = obj_.at(key);
    if (!v.is_string()) fail(key, "expected a string, got " + std::string(v.type_name()));
    return v.get<std::string>();
  }
  bool boolean(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    if (!obj_.at(key).is_boolean()) fail(key, "expected true or false");
    return obj_.at(key).get<bool>();
  }
  std::vector<int64_t> int_list(const json& v, const std::string& key, size_t size, int64_t lo, int64_t hi) const {
    if (!v.is_array() || v.size() != size)
      fail(key, "expected a list of " + std::to_string(size) + " integers, got " + v.dump());
    std::vector<int64_t> out;
    for (const json& x : v) out.push_back(integer_value(x, key, lo, hi));
    return out;
  }
  Shape shape_value(const json& v, const std::string& key) const {
    auto d = int_list(v, key, 3, 1, kMaxChannels);
    if (d[0] > kMaxDimension || d[1] > kMaxDimension)
      fail(key, "height and width must be at most " + std::to_string(kMaxDimension));
    Shape s{d[0], d[1], d[2]};
    if (s.elements() > kMaxTensorElements) fail(key, "tensor of " + std::to_string(s.elements()) + " elements is absurd");
    return s;
  }
  Shape shape(const std::string& key) const {
    if (!has(key)) fail(key, "missing; expected [height, width, channels]");
    return shape_value(obj_.at(key), key);
  }
  // "kernel": 3 or [3, 3]
  std::pair<int, int> pair(const std::string& key, int fallback, int lo, int hi) const {
    if (!has(key)) {
      if (fallback <= 0) fail(key, "missing; expected an integer or [h, w]");
      return {fallback, fallback};
    }
    const json& v = obj_.at(key);
    if (v.is_array()) {
      auto d = int_list(v, key, 2, lo, hi);
      return {int(d[0]), int(d[1])};
    }
    int x = int(integer_value(v, key, lo, hi));
    return {x, x};
  }
  Padding padding() const {
    if (!has("padding")) return Padding::Same;
    std::string p = string("padding");
    if (p == "same") return Padding::Same;
    if (p == "valid") return Padding::Valid;
    fail("padding", "expected \"same\" or \"valid\", got \"" + p + "\"");
  }

  const json& obj_;
  std::string file_, where_;
};

Layer read_layer(const json& obj, size_t index, const std::string& file, const std::map<std::string, int>& names) {
  std::string where = "layers[" + std::to_string(index) + "]";
  if (!obj.is_object()) throw_input_error(file, where, "expected an object");
  if (obj.contains("name") && obj.at("name").is_string()) where = "layer '" + obj.at("name").get<std::string>() + "'";
  LayerReader r(obj, file, where);
  Layer l;
  if (!r.has("name")) r.fail("name", "missing; every layer needs a unique name");
  l.name = r.string("name");
  if (l.name.empty()) r.fail("name", "must not be empty");
  if (names.count(l.name)) r.fail("name", "duplicate layer name (also layers[" + std::to_string(names.at(l.name)) + "])");
  if (!r.has("op")) r.fail("op", "missing; expected one of " + known_ops());
  const std::string op = r.string("op");
  auto it = op_table().find(op);
  if (it == op_table().end()) r.fail("op", "unknown op \"" + op + "\"; expected one of " + known_ops());
  const OpSpec& spec = it->second;
  l.op = spec.op;
  l.activation = spec.fn;
  for (auto& [key, value] : obj.items())
    if (key != "name" && key != "op" && key != "inputs" && !spec.keys.count(key))
      r.fail(key, "unknown key for op \"" + op + "\"");

  if (r.has("inputs")) {
    const json& v = obj.at("inputs");
    if (!v.is_array()) r.fail("inputs", "expected a list of layer names");
    for (const json& p : v) {
      if (!p.is_string()) r.fail("inputs", "expected layer names (strings), got " + p.dump());
      auto found = names.find(p.get<std::string>());
      if (found == names.end())
        r.fail("inputs", "no earlier layer is named \"" + p.get<std::string>() + "\" (producers must come first)");
      l.inputs.push_back(found->second);
    }
  } else if (index > 0) {
    l.inputs.push_back(static_cast<int>(index) - 1);
  }
  if (r.has("activation")) {
    std::string a = r.string("activation");
    auto act = op_table().find(a);
    if (a == "none") l.activation = ActivationFn::None;
    else if (act != op_table().end() && act->second.op == OpKind::Activation) l.activation = act->second.fn;
    else r.fail("activation", "unknown activation \"" + a + "\"; expected none, relu, relu6, swish, hswish, gelu, sigmoid or hsigmoid");
  }

  switch (l.op) {
    case OpKind::Conv2d:
    case OpKind::DepthwiseConv2d: {
      l.input = r.shape("input");
      bool dw = l.op == OpKind::DepthwiseConv2d;
      l.out_channels = dw ? r.integer_or("out_channels", l.input.c, 1, kMaxChannels) : r.integer("out_channels", 1, kMaxChannels);
      std::tie(l.kernel_h, l.kernel_w) = r.pair("kernel", 0, 1, 1024);
      std::tie(l.stride_h, l.stride_w) = r.pair("stride", 1, 1, 1024);
      l.groups = dw ? 1 : r.integer_or("groups", 1, 1, kMaxChannels);
      l.padding = r.padding();
      l.bias = r.boolean("bias", true);
      break;
    }
    case OpKind::Linear:
      if (r.has("input")) {
        if (r.has("tokens") || r.has("in_features")) r.fail("input", "give either input or tokens + in_features, not both");
        l.input = r.shape("input");
      } else {
        l.input = Shape{1, r.integer("tokens", 1, kMaxDimension), r.integer("in_features", 1, kMaxChannels)};
      }
      l.out_features = r.integer("out_features", 1, kMaxChannels);
      l.bias = r.boolean("bias", true);
      break;
    case OpKind::Matmul:
      l.batch = r.integer_or("batch", 1, 1, kMaxDimension);
      l.m = r.integer("m", 1, kMaxChannels);
      l.k = r.integer("k", 1, kMaxChannels);
      l.n = r.integer("n", 1, kMaxChannels);
      if (l.batch * l.m * l.k > kMaxTensorElements || l.batch * l.k * l.n > kMaxTensorElements ||
          l.batch * l.m * l.n > kMaxTensorElements)
        r.fail("m", "operands of this size are absurd (over " + std::to_string(kMaxTensorElements) + " elements)");
      break;
    case OpKind::Add:
    case OpKind::Mul:
      l.input = r.shape("input");
      if (r.has("input2")) l.extra_inputs.push_back(r.shape("input2"));
      break;
    case OpKind::AvgPool:
    case OpKind::MaxPool:
      l.input = r.shape("input");
      std::tie(l.kernel_h, l.kernel_w) = r.pair("kernel", 0, 1, 1024);
      if (r.has("stride")) std::tie(l.stride_h, l.stride_w) = r.pair("stride", 1, 1, 1024);
      else std::tie(l.stride_h, l.stride_w) = std::make_pair(l.kernel_h, l.kernel_w);
      l.padding = r.padding();
      break;
    case OpKind::Reshape:
      l.input = r.shape("input");
      l.reshape_to = r.shape("shape");
      break;
    case OpKind::Transpose: {
      l.input = r.shape("input");
      if (r.has("perm")) {
        auto p = r.int_list(obj.at("perm"), "perm", 3, 0, 2);
        for (int d = 0; d < 3; ++d) l.perm[d] = int(p[d]);
      } else {
        l.perm[0] = 1, l.perm[1] = 0, l.perm[2] = 2;
      }
      break;
    }
    case OpKind::Concat: {
      if (!r.has("input") || !obj.at("input").is_array() || obj.at("input").size() < 2 || !obj.at("input")[0].is_array())
        r.fail("input", "expected a list of two or more shapes [[h, w, c], ...]");
      const json& shapes = obj.at("input");
      l.input = r.shape_value(shapes[0], "input");
      for (size_t i = 1; i < shapes.size(); ++i) l.extra_inputs.push_back(r.shape_value(shapes[i], "input"));
      l.axis = int(r.integer_or("axis", 2, 0, 2));
      break;
    }
    case OpKind::Softmax:
    case OpKind::LayerNorm:
    case OpKind::Activation:
    case OpKind::GlobalAvgPool:
      l.input = r.shape("input");
      break;
  }
  return l;
}

json shape_json(const Shape& s) { return json::array({s.h, s.w, s.c}); }

// Fields that are each within their limits can still multiply into counts that overflow int64
// (a 1024x1024 kernel over a 65536x65536 input). Computed in double so the check cannot overflow.
void check_layer_size(const Layer& l, const std::string& file) {
  auto text = [](double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", x);
    return std::string(buf);
  };
  const std::string where = "layer '" + l.name + "'";
  const double out = double(l.output.h) * double(l.output.w) * double(l.output.c);
  if (out > double(kMaxTensorElements))
    throw_input_error(file, where, "output of " + text(out) + " elements is absurd; expected at most " +
                                       std::to_string(kMaxTensorElements));
  const double window = double(l.kernel_h) * double(l.kernel_w);
  double macs = 0;
  switch (l.op) {
    case OpKind::Conv2d: macs = out * window * double(l.input.c) / double(std::max<int64_t>(1, l.groups)); break;
    case OpKind::DepthwiseConv2d:
    case OpKind::AvgPool:
    case OpKind::MaxPool: macs = out * window; break;
    case OpKind::Linear: macs = out * double(l.input.c); break;
    case OpKind::Matmul: macs = double(l.batch) * double(l.m) * double(l.k) * double(l.n); break;
    default: break;
  }
  if (macs > double(kMaxLayerMacs))
    throw_input_error(file, where, text(macs) + " MACs (window reads for pooling) is absurd; expected at most " +
                                       std::to_string(kMaxLayerMacs) + " per layer");
}

}  // namespace

Workload workload_from_json(const json& doc, const std::string& file) {
  if (!doc.is_object()) throw_input_error(file, "", "expected a JSON object with version, name and layers");
  for (auto& [key, value] : doc.items())
    if (key != "version" && key != "name" && key != "precision" && key != "layers")
      throw_input_error(file, key, "unknown key; expected version, name, precision, layers");
  if (!doc.contains("version")) throw_input_error(file, "version", "missing; expected 1");
  if (!doc.at("version").is_number_integer() || doc.at("version").get<int64_t>() != kWorkloadVersion)
    throw_input_error(file, "version", "expected 1, got " + doc.at("version").dump());
  Workload w;
  if (doc.contains("name")) {
    if (!doc.at("name").is_string()) throw_input_error(file, "name", "expected a string");
    w.name = doc.at("name").get<std::string>();
  }
  if (doc.contains("precision")) {
    const json& p = doc.at("precision");
    if (!p.is_object()) throw_input_error(file, "precision", "expected {\"weights\": bits, \"activations\": bits}");
    LayerReader r(p, file, "precision");
    for (auto& [key, value] : p.items())
      if (key != "weights" && key != "activations") r.fail(key, "unknown key; expected weights, activations");
    w.precision.weight_bits = int(r.integer_or("weights", 8, 1, 32));
    w.precision.activation_bits = int(r.integer_or("activations", 8, 1, 32));
  }
  if (!doc.contains("layers") || !doc.at("layers").is_array())
    throw_input_error(file, "layers", "missing; expected a list of layer objects");
  const json& layers = doc.at("layers");
  if (layers.empty()) throw_input_error(file, "layers", "empty; a workload needs at least one layer");
  if (layers.size() > kMaxLayers) throw_input_error(file, "layers", "more than " + std::to_string(kMaxLayers) + " layers");
  std::map<std::string, int> names;
  for (size_t i = 0; i < layers.size(); ++i) {
    w.layers.push_back(read_layer(layers[i], i, file, names));
    names[w.layers.back().name] = static_cast<int>(i);
  }
  infer_shapes(w, file);
  check_workload_limits(w, file);
  return w;
}

void check_workload_limits(const Workload& w, const std::string& file) {
  if (w.layers.size() > kMaxLayers) throw_input_error(file, "layers", "more than " + std::to_string(kMaxLayers) + " layers");
  for (const Layer& l : w.layers) check_layer_size(l, file);
}

Workload parse_workload(const std::string& text, const std::string& file) {
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {
    throw_input_error(file, "", std::string("not valid JSON (") + e.what() + ")");
  }
  return workload_from_json(doc, file);
}

Workload load_workload(const std::string& path) { return parse_workload(read_text_file(path), path); }

json workload_to_json(const Workload& w) {
  json layers = json::array();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    json j = {{"name", l.name}, {"op", layer_op_name(l)}};
    switch (l.op) {
      case OpKind::Conv2d:
      case OpKind::DepthwiseConv2d:
        j["input"] = shape_json(l.input);
        j["out_channels"] = l.out_channels;
        j["kernel"] = {l.kernel_h, l.kernel_w};
        j["stride"] = {l.stride_h, l.stride_w};
        if (l.op == OpKind::Conv2d && l.groups != 1) j["groups"] = l.groups;
        j["padding"] = l.padding == Padding::Same ? "same" : "valid";
        if (!l.bias) j["bias"] = false;
        break;
      case OpKind::Linear:
        if (l.input.h == 1) {
          j["tokens"] = l.input.w;
          j["in_features"] = l.input.c;
        } else {
          j["input"] = shape_json(l.input);
        }
        j["out_features"] = l.out_features;
        if (!l.bias) j["bias"] = false;
        break;
      case OpKind::Matmul:
        j["batch"] = l.batch, j["m"] = l.m, j["k"] = l.k, j["n"] = l.n;
        break;
      case OpKind::Add:
      case OpKind::Mul:
        j["input"] = shape_json(l.input);
        if (!l.extra_inputs.empty()) j["input2"] = shape_json(l.extra_inputs[0]);
        break;
      case OpKind::AvgPool:
      case OpKind::MaxPool:
        j["input"] = shape_json(l.input);
        j["kernel"] = {l.kernel_h, l.kernel_w};
        j["stride"] = {l.stride_h, l.stride_w};
        j["padding"] = l.padding == Padding::Same ? "same" : "valid";
        break;
      case OpKind::Reshape:
        j["input"] = shape_json(l.input);
        j["shape"] = shape_json(l.reshape_to);
        break;
      case OpKind::Transpose:
        j["input"] = shape_json(l.input);
        j["perm"] = {l.perm[0], l.perm[1], l.perm[2]};
        break;
      case OpKind::Concat: {
        json shapes = json::array({shape_json(l.input)});
        for (const Shape& s : l.extra_inputs) shapes.push_back(shape_json(s));
        j["input"] = shapes;
        j["axis"] = l.axis;
        break;
      }
      default:
        j["input"] = shape_json(l.input);
    }
    if (l.op != OpKind::Activation && l.activation != ActivationFn::None) j["activation"] = activation_name(l.activation);
    bool implicit = i > 0 && l.inputs.size() == 1 && l.inputs[0] == int(i) - 1;
    if (!implicit) {
      json in = json::array();
      for (int p : l.inputs) in.push_back(w.layers[p].name);
      j["inputs"] = in;
    }
    layers.push_back(j);
  }
  return json{{"version", kWorkloadVersion},
              {"name", w.name},
              {"precision", {{"weights", w.precision.weight_bits}, {"activations", w.precision.activation_bits}}},
              {"layers", layers}};
}

void save_workload(const Workload& w, const std::string& path) { write_file_atomic(path, workload_to_json(w).dump(1) + "\n"); }

}  // namespace h4h
