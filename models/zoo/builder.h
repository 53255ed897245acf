#pragma once
// NetworkBuilder: appends layers to a Workload while tracking the current tensor (its shape and
// the index of the layer that produced it), so network definitions read like a forward pass:
//
//   NetworkBuilder b("resnet18", Shape{224, 224, 3});
//   b.conv("conv1", 64, 7, 2, ActivationFn::Relu);
//   b.maxpool("maxpool", 3, 2);
//   ...
//   Workload w = b.build();
//
// Every op reads the current tensor and makes its output current; binary ops take the second
// operand explicitly (a tensor returned by an earlier call, a layer name, or a constant read from
// memory). Names are joined with the open scopes: inside scope("features.3"), conv("conv.1")
// is named "features.3.conv.1". Names must be unique (InputError otherwise). Each layer's output
// shape is inferred as it is appended, so a bad shape is reported at the layer that causes it;
// build() runs infer_shapes() over the whole list once more.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "sim/core/workload.h"

namespace h4h {

// torchvision's / TF's _make_divisible: round v to the nearest multiple of divisor (at least
// divisor), never going more than 10% below v.
int64_t make_divisible(double v, int64_t divisor = 8);

class NetworkBuilder {
 public:
  // A tensor: the layer that produced it (-1: read from memory, e.g. the network input or a
  // constant) and its shape.
  struct Tensor {
    int producer = -1;
    Shape shape;
  };

  NetworkBuilder(std::string workload_name, Shape input);

  const Tensor& current() const { return current_; }
  void set_current(const Tensor& t) { current_ = t; }

  // The output of an earlier layer, by full name or index (InputError when there is none).
  Tensor output_of(const std::string& layer_name) const;
  Tensor output_of(int layer_index) const;
  // An operand read from memory rather than produced by a layer (cls token, position embedding...).
  static Tensor from_memory(Shape shape) { return Tensor{-1, shape}; }
  // A view of the first `tokens` tokens of a token tensor [1, T, C] (e.g. the cls token). It adds
  // no layer: the consumer reads part of the producer's output.
  static Tensor take_tokens(const Tensor& t, int64_t tokens);

  // Name scopes. Prefer the RAII form: `auto s = b.scope("layer1.0");`.
  class Scope {
   public:
    Scope(NetworkBuilder& b, const std::string& prefix) : b_(&b) { b_->push_scope(prefix); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
    Scope(Scope&& o) noexcept : b_(o.b_) { o.b_ = nullptr; }
    ~Scope() {
      if (b_) b_->pop_scope();
    }

   private:
    NetworkBuilder* b_;
  };
  Scope scope(const std::string& prefix) { return Scope(*this, prefix); }
  void push_scope(const std::string& prefix) { scopes_.push_back(prefix); }
  void pop_scope() { scopes_.pop_back(); }
  std::string full_name(const std::string& name) const;

  // --- ops on the current tensor; each returns (and makes current) its output ---
  Tensor conv(const std::string& name, int64_t out_channels, int kernel, int stride = 1,
              ActivationFn act = ActivationFn::None, int64_t groups = 1, bool bias = true,
              Padding padding = Padding::Same);
  // Depthwise conv (channel multiplier 1).
  Tensor depthwise(const std::string& name, int kernel, int stride = 1, ActivationFn act = ActivationFn::None,
                   bool bias = true);
  // Linear on the channel dimension of a token tensor [1, T, C] or an H x W x C grid.
  Tensor linear(const std::string& name, int64_t out_features, ActivationFn act = ActivationFn::None,
                bool bias = true);
  // Batched activation x activation product [batch, m, k] x [batch, k, n]; a and b are the
  // producers of the two operands (their shapes are views; the matmul's own shapes come from
  // batch, m, k, n).
  Tensor matmul(const std::string& name, const Tensor& a, const Tensor& b, int64_t batch, int64_t m, int64_t k,
                int64_t n);
  // current + other / current * other (other may broadcast, e.g. an SE gate [1, 1, C]).
  Tensor add(const std::string& name, const Tensor& other);
  Tensor add(const std::string& name, const std::string& other_layer) { return add(name, output_of(other_layer)); }
  Tensor mul(const std::string& name, const Tensor& other);
  Tensor softmax(const std::string& name);
  Tensor layernorm(const std::string& name);
  Tensor act(const std::string& name, ActivationFn fn);
  Tensor avgpool(const std::string& name, int kernel, int stride, Padding padding = Padding::Same);
  Tensor maxpool(const std::string& name, int kernel, int stride, Padding padding = Padding::Same);
  Tensor global_avgpool(const std::string& name);
  Tensor reshape(const std::string& name, Shape to);
  Tensor transpose(const std::string& name, int p0, int p1, int p2);
  // Concatenates current with `others` (in order) along axis 0 (h), 1 (w) or 2 (c).
  Tensor concat(const std::string& name, const std::vector<Tensor>& others, int axis);

  int size() const { return static_cast<int>(workload_.layers.size()); }
  const Workload& workload() const { return workload_; }
  // Runs infer_shapes over the whole list and returns the workload (the builder is left empty).
  Workload build();

 private:
  // Appends `layer` named full_name(name) reading `operands` (first: `input`, the rest:
  // `extra_inputs`), infers its output and makes it current.
  Tensor append(const std::string& name, Layer layer, const std::vector<Tensor>& operands);

  Workload workload_;
  Tensor current_;
  std::vector<std::string> scopes_;
  std::unordered_set<std::string> names_;
};

}  // namespace h4h
