#include "nas/train/onnx_graph_writer.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

#include <cmath>
#include <set>
#include <stdexcept>
#include <vector>

#include "models/space/arch_workload.h"

namespace h4h {

namespace {

namespace nn = torch::nn;
using Strings = std::vector<std::string>;

// Emits nodes and initializers into one graph; every tensor and node name is unique.
class GraphWriter {
 public:
  explicit GraphWriter(onnx::GraphProto& graph) : g_(graph) {}

  // A node `op` named `name` with one output, called `output` (empty: `name`).
  onnx::NodeProto& node(const std::string& op, const std::string& name, const Strings& inputs,
                        const std::string& output = "") {
    claim(name);
    if (!output.empty()) claim(output);
    onnx::NodeProto& n = *g_.add_node();
    n.set_op_type(op);
    n.set_name(name);
    for (const std::string& in : inputs) n.add_input(in);
    n.add_output(output.empty() ? name : output);
    return n;
  }

  std::string weight(const std::string& name, const torch::Tensor& t) {
    const torch::Tensor v = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    onnx::TensorProto& p = initializer(name, onnx::TensorProto::FLOAT, v.sizes());
    p.set_raw_data(v.data_ptr<float>(), size_t(v.numel()) * sizeof(float));
    return name;
  }
  std::string scalar(const std::string& name, float value) { return weight(name, torch::tensor(value)); }

  std::string int64s(const std::string& name, const std::vector<int64_t>& values, bool as_scalar = false) {
    onnx::TensorProto& p = initializer(name, onnx::TensorProto::INT64,
                                       as_scalar ? std::vector<int64_t>{} : std::vector<int64_t>{int64_t(values.size())});
    p.set_raw_data(values.data(), values.size() * sizeof(int64_t));  // little-endian, as ONNX stores raw_data
    return name;
  }

 private:
  void claim(const std::string& name) {
    if (!names_.insert(name).second) throw std::logic_error("onnx export: duplicate tensor name " + name);
  }
  onnx::TensorProto& initializer(const std::string& name, int type, torch::IntArrayRef dims) {
    claim(name);
    onnx::TensorProto& p = *g_.add_initializer();
    p.set_name(name);
    p.set_data_type(type);
    for (int64_t d : dims) p.add_dims(d);
    return p;
  }

  onnx::GraphProto& g_;
  std::set<std::string> names_;
};

void set_int(onnx::NodeProto& n, const std::string& name, int64_t v) {
  onnx::AttributeProto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INT);
  a.set_i(v);
}

void set_ints(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  onnx::AttributeProto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a.add_ints(x);
}

void set_float(onnx::NodeProto& n, const std::string& name, float v) {
  onnx::AttributeProto& a = *n.add_attribute();
  a.set_name(name);
  a.set_type(onnx::AttributeProto::FLOAT);
  a.set_f(v);
}

// Walks the subnet in forward order; `x` is the current tensor, `h`/`w` its grid.
class SubnetWriter {
 public:
  SubnetWriter(GraphWriter& gw, ActivationFn act) : gw_(gw), act_(act) {}

  std::string x;
  int64_t h = 0, w = 0;

  // Conv (+ BatchNorm folded: w' = w * g / sqrt(var + eps), b' = (b - mean) * g / sqrt(var + eps) + beta).
  std::string conv(const std::string& name, const std::string& in, nn::Conv2dImpl& conv, nn::BatchNorm2dImpl* bn) {
    const auto& o = conv.options;
    if (!c10::get_if<torch::ExpandingArray<2>>(&o.padding()) || !c10::get_if<torch::enumtype::kZeros>(&o.padding_mode()))
      throw std::logic_error("onnx export: " + name + ": only explicit zero padding is supported");
    const auto pad = *c10::get<torch::ExpandingArray<2>>(o.padding());
    torch::Tensor weight = conv.weight.detach().to(torch::kCPU, torch::kDouble);
    torch::Tensor bias = conv.options.bias() ? conv.bias.detach().to(torch::kCPU, torch::kDouble)
                                             : torch::zeros({weight.size(0)}, torch::kDouble);
    if (bn) {
      const auto d = [](const torch::Tensor& t) { return t.detach().to(torch::kCPU, torch::kDouble); };
      const torch::Tensor gamma = bn->weight.defined() ? d(bn->weight) : torch::ones_like(bias);
      const torch::Tensor beta = bn->bias.defined() ? d(bn->bias) : torch::zeros_like(bias);
      const torch::Tensor scale = gamma / torch::sqrt(d(bn->running_var) + bn->options.eps());
      weight = weight * scale.view({-1, 1, 1, 1});
      bias = (bias - d(bn->running_mean)) * scale + beta;
    }
    onnx::NodeProto& n = gw_.node("Conv", name, {in, gw_.weight(name + ".weight", weight), gw_.weight(name + ".bias", bias)});
    set_ints(n, "kernel_shape", {(*o.kernel_size())[0], (*o.kernel_size())[1]});
    set_ints(n, "strides", {(*o.stride())[0], (*o.stride())[1]});
    set_ints(n, "pads", {pad[0], pad[1], pad[0], pad[1]});
    set_ints(n, "dilations", {(*o.dilation())[0], (*o.dilation())[1]});
    set_int(n, "group", o.groups());
    return name;
  }

  // Updates the grid size through a conv (floor((h + 2p - d(k-1) - 1) / s) + 1).
  void track(const nn::Conv2dImpl& conv) {
    const auto& o = conv.options;
    const auto pad = *c10::get<torch::ExpandingArray<2>>(o.padding());
    h = (h + 2 * pad[0] - (*o.dilation())[0] * ((*o.kernel_size())[0] - 1) - 1) / (*o.stride())[0] + 1;
    w = (w + 2 * pad[1] - (*o.dilation())[1] * ((*o.kernel_size())[1] - 1) - 1) / (*o.stride())[1] + 1;
  }

  std::string activation(const std::string& name, const std::string& in, ActivationFn fn) {
    switch (fn) {
      case ActivationFn::None: return in;
      case ActivationFn::Relu: return gw_.node("Relu", name, {in}).output(0);
      case ActivationFn::Relu6:
        return gw_.node("Clip", name, {in, gw_.scalar(name + ".min", 0.f), gw_.scalar(name + ".max", 6.f)}).output(0);
      case ActivationFn::Swish:
        return gw_.node("Mul", name, {in, gw_.node("Sigmoid", name + ".sigmoid", {in}).output(0)}).output(0);
      case ActivationFn::HSwish: return gw_.node("HardSwish", name, {in}).output(0);
      case ActivationFn::Gelu: {
        const std::string e = gw_.node("Erf", name + ".erf",
                                       {gw_.node("Div", name + ".div", {in, gw_.scalar(name + ".sqrt2", float(std::sqrt(2.0)))})
                                            .output(0)})
                                  .output(0);
        const std::string one_plus = gw_.node("Add", name + ".add", {e, gw_.scalar(name + ".one", 1.f)}).output(0);
        const std::string xs = gw_.node("Mul", name + ".mul", {in, one_plus}).output(0);
        return gw_.node("Mul", name, {xs, gw_.scalar(name + ".half", 0.5f)}).output(0);
      }
      case ActivationFn::Sigmoid: return gw_.node("Sigmoid", name, {in}).output(0);
      case ActivationFn::HSigmoid: {  // torch: relu6(x + 3) / 6
        onnx::NodeProto& n = gw_.node("HardSigmoid", name, {in});
        set_float(n, "alpha", 1.f / 6.f);
        set_float(n, "beta", 0.5f);
        return name;
      }
    }
    throw std::logic_error("onnx export: unknown activation");
  }

  // y = x W^T + b on the last dimension (tokens [N, T, C]): MatMul `name`, then Add `name`.bias (as
  // torch exports nn.Linear on 3-D input).
  std::string linear(const std::string& name, const std::string& in, nn::LinearImpl& fc) {
    const std::string mm = gw_.node("MatMul", name, {in, gw_.weight(name + ".weight_t", fc.weight.t())}).output(0);
    return gw_.node("Add", name + ".add_bias", {mm, gw_.weight(name + ".bias", fc.bias)}).output(0);
  }

  // y = x W^T + b on [N, C].
  std::string gemm(const std::string& name, const std::string& in, nn::LinearImpl& fc, const std::string& output = "") {
    onnx::NodeProto& n = gw_.node(
        "Gemm", name, {in, gw_.weight(name + ".weight", fc.weight), gw_.weight(name + ".bias", fc.bias)}, output);
    set_int(n, "transB", 1);
    return n.output(0);
  }

  std::string transpose(const std::string& name, const std::string& in, const std::vector<int64_t>& perm) {
    set_ints(gw_.node("Transpose", name, {in}), "perm", perm);
    return name;
  }
  std::string reshape(const std::string& name, const std::string& in, const std::vector<int64_t>& shape) {
    return gw_.node("Reshape", name, {in, gw_.int64s(name + ".shape", shape)}).output(0);  // 0: the input's dim
  }
  std::string gather(const std::string& name, const std::string& in, int64_t index) {
    set_int(gw_.node("Gather", name, {in, gw_.int64s(name + ".index", {index}, true)}), "axis", 0);
    return name;
  }
  std::string layer_norm(const std::string& name, const std::string& in, nn::LayerNormImpl& ln) {
    onnx::NodeProto& n =
        gw_.node("LayerNormalization", name, {in, gw_.weight(name + ".scale", ln.weight), gw_.weight(name + ".bias", ln.bias)});
    set_int(n, "axis", -1);
    set_float(n, "epsilon", float(ln.options.eps()));
    return name;
  }

  void mbconv(const std::string& b, StaticMBConvImpl& m) {
    const std::string in = x;
    std::string y = in;
    if (m.expand) y = activation(b + ".expand.act", conv(b + ".expand", y, *m.expand, m.expand_bn.get()), act_);
    y = activation(b + ".depthwise.act", conv(b + ".depthwise", y, *m.depthwise, m.depthwise_bn.get()), act_);
    track(*m.depthwise);
    if (m.se_reduce) {
      std::string s = gw_.node("GlobalAveragePool", b + ".se.pool", {y}).output(0);
      s = activation(b + ".se.reduce.act", conv(b + ".se.reduce", s, *m.se_reduce, nullptr), ActivationFn::Relu);
      s = activation(b + ".se.expand.act", conv(b + ".se.expand", s, *m.se_expand, nullptr), ActivationFn::HSigmoid);
      y = gw_.node("Mul", b + ".se.scale", {y, s}).output(0);
    }
    y = conv(b + ".project", y, *m.project, m.project_bn.get());
    if (m.options.stride() == 1 && m.options.in_channels() == m.options.out_channels())
      y = gw_.node("Add", b + ".residual", {y, in}).output(0);
    x = y;
  }

  void transformer(const std::string& b, StaticTransformerImpl& t) {
    const BlockConfig& cfg = t.options.block();
    const int64_t c = t.options.width(), n = h * w, heads = cfg.heads, d = cfg.head_dim;
    // [N, C, H, W] -> [N, H*W, C], tokens row-major over (H, W)
    const std::string tokens = reshape(b + ".to_tokens", transpose(b + ".to_nhwc", x, {0, 2, 3, 1}), {0, n, c});
    const std::string qkv = linear(b + ".qkv", layer_norm(b + ".norm1", tokens, *t.norm1), *t.qkv);
    // [N, T, heads, 3, d] -> [3, N, heads, T, d]: q, k, v of each head
    const std::string parts =
        transpose(b + ".qkv_split", reshape(b + ".qkv_heads", qkv, {0, n, heads, 3, d}), {3, 0, 2, 1, 4});
    const std::string q = gw_.node("Mul", b + ".q_scaled",
                                   {gather(b + ".q", parts, 0), gw_.scalar(b + ".q_scale", float(1.0 / std::sqrt(double(d))))})
                              .output(0);
    const std::string kt = transpose(b + ".k_t", gather(b + ".k", parts, 1), {0, 1, 3, 2});
    const std::string v = gather(b + ".v", parts, 2);
    const std::string scores = gw_.node("MatMul", b + ".q_kt", {q, kt}).output(0);
    set_int(gw_.node("Softmax", b + ".softmax", {scores}), "axis", -1);
    const std::string attn = gw_.node("MatMul", b + ".attn_v", {b + ".softmax", v}).output(0);  // [N, heads, T, d]
    const std::string merged = reshape(b + ".merge_heads", transpose(b + ".heads_last", attn, {0, 2, 1, 3}), {0, n, heads * d});
    const std::string r1 = gw_.node("Add", b + ".residual1", {tokens, linear(b + ".proj", merged, *t.proj)}).output(0);
    const std::string hidden =
        activation(b + ".fc1.act", linear(b + ".fc1", layer_norm(b + ".norm2", r1, *t.norm2), *t.fc1), t.options.activation());
    const std::string r2 = gw_.node("Add", b + ".residual2", {r1, linear(b + ".fc2", hidden, *t.fc2)}).output(0);
    x = transpose(b + ".to_grid", reshape(b + ".to_nhwc_grid", r2, {0, h, w, c}), {0, 3, 1, 2});
  }

  ActivationFn act() const { return act_; }

 private:
  GraphWriter& gw_;
  ActivationFn act_;
};

void set_tensor_type(onnx::ValueInfoProto& v, const std::string& name, const std::string& batch_dim,
                     const std::vector<int64_t>& dims) {
  v.set_name(name);
  onnx::TypeProto_Tensor& t = *v.mutable_type()->mutable_tensor_type();
  t.set_elem_type(onnx::TensorProto::FLOAT);
  onnx::TensorShapeProto& s = *t.mutable_shape();
  if (batch_dim.empty()) s.add_dim()->set_dim_value(1);
  else s.add_dim()->set_dim_param(batch_dim);
  for (int64_t d : dims) s.add_dim()->set_dim_value(d);
}

}  // namespace

onnx::ModelProto static_subnet_to_onnx(StaticSubnetImpl& subnet, const SearchSpace& space, const OnnxGraphOptions& options) {
  const ArchConfig& arch = subnet.arch();
  validate_arch(arch, space);
  onnx::ModelProto model;
  model.set_ir_version(onnx::IR_VERSION);
  model.set_producer_name("h4h");
  model.set_producer_version("0.1.0");
  onnx::OperatorSetIdProto& opset = *model.add_opset_import();
  opset.set_domain("");
  opset.set_version(kOnnxOpset);
  onnx::GraphProto& graph = *model.mutable_graph();
  graph.set_name(options.graph_name.empty() ? space.name + "/" + arch_key(arch) : options.graph_name);
  set_tensor_type(*graph.add_input(), "images", options.batch_dim, {space.input_channels, arch.resolution, arch.resolution});
  set_tensor_type(*graph.add_output(), "logits", options.batch_dim, {space.num_classes});

  GraphWriter gw(graph);
  SubnetWriter s(gw, space.activation);
  s.h = s.w = arch.resolution;
  s.x = s.activation("first_conv.act", s.conv("first_conv", "images", *subnet.first_conv, subnet.first_bn.get()), s.act());
  s.track(*subnet.first_conv);
  size_t k = 0;
  const auto children = subnet.blocks->children();
  for (size_t i = 0; i < arch.stages.size(); ++i)
    for (size_t j = 0; j < arch.stages[i].blocks.size(); ++j, ++k) {
      const std::string name = space.stages[i].name + "." + std::to_string(j);
      if (auto* m = children.at(k)->as<StaticMBConvImpl>()) s.mbconv(name, *m);
      else if (auto* t = children.at(k)->as<StaticTransformerImpl>()) s.transformer(name, *t);
      else throw std::logic_error("onnx export: unknown block module " + name);
    }
  if (k != children.size()) throw std::logic_error("onnx export: the subnet's blocks differ from its arch");
  std::string y = s.activation("head.conv.act", s.conv("head.conv", s.x, *subnet.head_conv, subnet.head_bn.get()), s.act());
  y = gw.node("GlobalAveragePool", "head.pool", {y}).output(0);
  onnx::NodeProto& flatten = gw.node("Flatten", "head.flatten", {y});
  set_int(flatten, "axis", 1);
  y = s.activation("head.fc.act", s.gemm("head.fc", "head.flatten", *subnet.head_fc), s.act());
  s.gemm("classifier", y, *subnet.classifier, "logits");
  return model;
}

void check_onnx_model(onnx::ModelProto& model) {
  try {
    onnx::checker::check_model(model);
    onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(),
                                       onnx::ShapeInferenceOptions(/*check_type=*/true, /*error_mode=*/1));
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("ONNX check failed: ") + e.what());
  }
}

}  // namespace h4h
