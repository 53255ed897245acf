#include "models/zoo/builder.h"

#include <utility>

#include "sim/core/error.h"

namespace h4h {

int64_t make_divisible(double v, int64_t divisor) {
  int64_t out = static_cast<int64_t>(v + divisor / 2.0) / divisor * divisor;
  if (out < divisor) out = divisor;
  if (out < 0.9 * v) out += divisor;
  return out;
}

NetworkBuilder::NetworkBuilder(std::string workload_name, Shape input) : current_{-1, input} {
  workload_.name = std::move(workload_name);
}

std::string NetworkBuilder::full_name(const std::string& name) const {
  std::string out;
  for (const std::string& s : scopes_) out += s + ".";
  return out + name;
}

NetworkBuilder::Tensor NetworkBuilder::output_of(const std::string& layer_name) const {
  const int i = workload_.find(layer_name);
  if (i < 0) throw_input_error(workload_.name, "layer '" + layer_name + "'", "no such layer (yet)");
  return Tensor{i, workload_.layers[i].output};
}

NetworkBuilder::Tensor NetworkBuilder::output_of(int layer_index) const {
  if (layer_index < 0 || layer_index >= size())
    throw_input_error(workload_.name, "layer #" + std::to_string(layer_index), "no such layer (yet)");
  return Tensor{layer_index, workload_.layers[layer_index].output};
}

NetworkBuilder::Tensor NetworkBuilder::take_tokens(const Tensor& t, int64_t tokens) {
  if (t.shape.h != 1 || tokens < 1 || tokens > t.shape.w)
    throw_input_error("", "take_tokens", "expected a token tensor [1, T, C] with T >= " + std::to_string(tokens));
  return Tensor{t.producer, Shape{1, tokens, t.shape.c}};
}

NetworkBuilder::Tensor NetworkBuilder::append(const std::string& name, Layer layer,
                                              const std::vector<Tensor>& operands) {
  layer.name = full_name(name);
  if (!names_.insert(layer.name).second)
    throw_input_error(workload_.name, "layer '" + layer.name + "'", "duplicate layer name");
  if (!operands.empty()) layer.input = operands[0].shape;
  for (size_t i = 1; i < operands.size(); ++i) layer.extra_inputs.push_back(operands[i].shape);
  for (const Tensor& t : operands)
    if (t.producer >= 0) layer.inputs.push_back(t.producer);

  // Infer this layer alone (producers dropped) so errors point at it as it is added.
  Workload one;
  one.name = workload_.name;
  one.layers.push_back(layer);
  one.layers[0].inputs.clear();
  infer_shapes(one);
  one.layers[0].inputs = layer.inputs;

  workload_.layers.push_back(std::move(one.layers[0]));
  current_ = Tensor{size() - 1, workload_.layers.back().output};
  return current_;
}

NetworkBuilder::Tensor NetworkBuilder::conv(const std::string& name, int64_t out_channels, int kernel, int stride,
                                            ActivationFn act, int64_t groups, bool bias, Padding padding) {
  Layer l;
  l.op = OpKind::Conv2d;
  l.activation = act;
  l.out_channels = out_channels;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.groups = groups;
  l.bias = bias;
  l.padding = padding;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::depthwise(const std::string& name, int kernel, int stride, ActivationFn act,
                                                 bool bias) {
  Layer l;
  l.op = OpKind::DepthwiseConv2d;
  l.activation = act;
  l.out_channels = current_.shape.c;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.bias = bias;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::linear(const std::string& name, int64_t out_features, ActivationFn act,
                                              bool bias) {
  Layer l;
  l.op = OpKind::Linear;
  l.activation = act;
  l.out_features = out_features;
  l.bias = bias;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::matmul(const std::string& name, const Tensor& a, const Tensor& b,
                                              int64_t batch, int64_t m, int64_t k, int64_t n) {
  Layer l;
  l.op = OpKind::Matmul;
  l.batch = batch;
  l.m = m;
  l.k = k;
  l.n = n;
  l.bias = false;
  // infer_shapes replaces the operand shapes with [batch, m, k] and [batch, k, n].
  return append(name, l, {a, b});
}

NetworkBuilder::Tensor NetworkBuilder::add(const std::string& name, const Tensor& other) {
  Layer l;
  l.op = OpKind::Add;
  return append(name, l, {current_, other});
}

NetworkBuilder::Tensor NetworkBuilder::mul(const std::string& name, const Tensor& other) {
  Layer l;
  l.op = OpKind::Mul;
  return append(name, l, {current_, other});
}

NetworkBuilder::Tensor NetworkBuilder::softmax(const std::string& name) {
  Layer l;
  l.op = OpKind::Softmax;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::layernorm(const std::string& name) {
  Layer l;
  l.op = OpKind::LayerNorm;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::act(const std::string& name, ActivationFn fn) {
  Layer l;
  l.op = OpKind::Activation;
  l.activation = fn;
  return append(name, l, {current_});
}

namespace {
Layer pool(OpKind op, int kernel, int stride, Padding padding) {
  Layer l;
  l.op = op;
  l.kernel_h = l.kernel_w = kernel;
  l.stride_h = l.stride_w = stride;
  l.padding = padding;
  return l;
}
}  // namespace

NetworkBuilder::Tensor NetworkBuilder::avgpool(const std::string& name, int kernel, int stride, Padding padding) {
  return append(name, pool(OpKind::AvgPool, kernel, stride, padding), {current_});
}

NetworkBuilder::Tensor NetworkBuilder::maxpool(const std::string& name, int kernel, int stride, Padding padding) {
  return append(name, pool(OpKind::MaxPool, kernel, stride, padding), {current_});
}

NetworkBuilder::Tensor NetworkBuilder::global_avgpool(const std::string& name) {
  Layer l;
  l.op = OpKind::GlobalAvgPool;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::reshape(const std::string& name, Shape to) {
  Layer l;
  l.op = OpKind::Reshape;
  l.reshape_to = to;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::transpose(const std::string& name, int p0, int p1, int p2) {
  Layer l;
  l.op = OpKind::Transpose;
  l.perm[0] = p0;
  l.perm[1] = p1;
  l.perm[2] = p2;
  return append(name, l, {current_});
}

NetworkBuilder::Tensor NetworkBuilder::concat(const std::string& name, const std::vector<Tensor>& others, int axis) {
  Layer l;
  l.op = OpKind::Concat;
  l.axis = axis;
  std::vector<Tensor> operands{current_};
  operands.insert(operands.end(), others.begin(), others.end());
  return append(name, l, operands);
}

Workload NetworkBuilder::build() {
  infer_shapes(workload_);
  Workload out = std::move(workload_);
  workload_ = Workload{};
  workload_.name = out.name;
  names_.clear();
  current_ = Tensor{};
  return out;
}

}  // namespace h4h
