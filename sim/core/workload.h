#pragma once
// The workload: a network as a DAG of layers, NHWC, batch 1.
//
// Contract:
//  - Every layer's input shape is given by the user (or a builder); its output shape is derived by
//    infer_shapes() and never typed.
//  - `inputs` holds producer layer indices, always earlier in the list (the list is a topological
//    order). An empty list means the layer reads network inputs (or constants) from memory.
//  - Counts (MACs, parameters, bytes) are pure functions of the layer and the workload's precision.
//    MACs count conv2d, depthwise_conv2d, linear and matmul only (the usual convention of published
//    figures); other ops report their element operations in `elementwise_ops`.
#include <cstdint>
#include <string>
#include <vector>

namespace h4h {

enum class OpKind {
  Conv2d,
  DepthwiseConv2d,
  Linear,
  Matmul,  // activation x activation, batched: [batch, m, k] x [batch, k, n]
  Add,
  Mul,
  Softmax,
  LayerNorm,
  Activation,  // standalone activation function (see ActivationFn)
  AvgPool,
  MaxPool,
  GlobalAvgPool,
  Reshape,
  Transpose,
  Concat,
};
constexpr int kOpKindCount = 15;

enum class ActivationFn { None, Relu, Relu6, Swish, HSwish, Gelu, Sigmoid, HSigmoid };

enum class Padding { Same, Valid };

// A tensor shape in NHWC with N = 1. Token tensors [T, C] are stored as h = 1, w = T, c = C;
// matmul operands [batch, rows, cols] as h = batch, w = rows, c = cols.
struct Shape {
  int64_t h = 1, w = 1, c = 1;
  int64_t elements() const { return h * w * c; }
  bool operator==(const Shape& o) const { return h == o.h && w == o.w && c == o.c; }
  bool operator!=(const Shape& o) const { return !(*this == o); }
};

struct Precision {
  int weight_bits = 8;
  int activation_bits = 8;
  int bias_bits = 32;  // int32 accumulators' bias, as in int8 TFLite
};

struct Layer {
  std::string name;
  OpKind op = OpKind::Conv2d;
  ActivationFn activation = ActivationFn::None;  // the op's function (Activation) or a fused one

  // Operands. `input` is the first operand; `extra_inputs` holds further operand shapes for
  // binary ops (add, mul: the second operand, equal to `input` when not given) and concat.
  Shape input;
  std::vector<Shape> extra_inputs;

  // conv2d / depthwise_conv2d / pools
  int64_t out_channels = 0;
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  int64_t groups = 1;
  Padding padding = Padding::Same;
  bool bias = true;
  // linear: tokens = input.w (input.h == 1), in_features = input.c
  int64_t out_features = 0;
  // matmul
  int64_t batch = 1, m = 0, k = 0, n = 0;
  // reshape target / transpose permutation / concat axis (0 = h, 1 = w, 2 = c)
  Shape reshape_to;
  int perm[3] = {0, 1, 2};
  int axis = 2;

  // Producers (indices into Workload::layers); empty: reads from memory.
  std::vector<int> inputs;

  // Derived by infer_shapes().
  Shape output;
};

struct LayerCounts {
  int64_t macs = 0;
  int64_t params = 0;         // weights + biases (+ norm scale/shift)
  int64_t weight_bytes = 0;   // weights at Precision::weight_bits
  int64_t bias_bytes = 0;     // biases at Precision::bias_bits
  int64_t input_bytes = 0;    // all activation operands read
  int64_t output_bytes = 0;   // activation written
  int64_t elementwise_ops = 0;  // element operations of non-MAC ops (add, mul, pool window, ...)
};

struct Workload {
  std::string name;
  Precision precision;
  std::vector<Layer> layers;

  int find(const std::string& layer_name) const;  // -1 when absent
};

// Names as they appear in the workload JSON ("conv2d", "relu", ...). Activations map to their
// function name; OpKind::Activation alone has no name.
const char* op_name(OpKind op);
const char* activation_name(ActivationFn fn);
// The JSON op name of a layer: op_name(op), or activation_name(activation) for Activation.
std::string layer_op_name(const Layer& layer);

bool is_mac_op(OpKind op);      // conv2d, depthwise, linear, matmul
bool has_weights(OpKind op);    // conv2d, depthwise, linear (and layernorm's scale/shift)

// Output spatial size for a window op: same -> ceil(in / stride); valid -> floor((in - k) / stride) + 1.
int64_t window_output_size(int64_t in, int kernel, int stride, Padding padding);

// Derives every layer's output shape and checks operand consistency. Throws InputError naming
// `file` (may be empty), the layer and the field.
void infer_shapes(Workload& workload, const std::string& file = "");

LayerCounts count_layer(const Layer& layer, const Precision& precision);

struct WorkloadTotals {
  int64_t macs = 0, params = 0, weight_bytes = 0, activation_bytes = 0;
};
WorkloadTotals count_workload(const Workload& workload);

int64_t bytes_for(int64_t elements, int bits);

}  // namespace h4h
