#pragma once
// Builds small ONNX models for the importer's tests with ONNX's protobuf classes: network inputs,
// initializers, nodes with attributes and outputs, serialized to the bytes a .onnx file holds; and
// imports them.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "models/onnx/onnx_import.h"

namespace h4h::test {

class OnnxModel {
 public:
  static constexpr int64_t kBatch = -1;  // a symbolic dimension ("N") in input()

  explicit OnnxModel(int opset = 17, int64_t ir_version = 8) {
    proto_.set_ir_version(ir_version);
    proto_.set_producer_name("h4h-tests");
    onnx::OperatorSetIdProto* o = proto_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    proto_.mutable_graph()->set_name("test_graph");
  }

  // A float network input; a negative size is a symbolic dimension, named "N" for dimension 0 (the
  // batch) and `symbol` elsewhere.
  OnnxModel& input(const std::string& name, const std::vector<int64_t>& dims, const std::string& symbol = "N") {
    set_type(proto_.mutable_graph()->add_input(), name, dims, symbol);
    return *this;
  }
  // A float graph output with known dims (the checker wants a shape on graph outputs).
  OnnxModel& output(const std::string& name, const std::vector<int64_t>& dims) {
    set_type(proto_.mutable_graph()->add_output(), name, dims, "N");
    return *this;
  }
  // A float initializer: `values`, or zeros when empty.
  OnnxModel& weight(const std::string& name, const std::vector<int64_t>& dims, std::vector<float> values = {}) {
    onnx::TensorProto* t = proto_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t count = 1;
    for (int64_t d : dims) t->add_dims(d), count *= d;
    if (values.empty()) values.assign(size_t(count), 0.0f);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)));
    return *this;
  }
  OnnxModel& scalar(const std::string& name, float value) { return weight(name, {}, {value}); }
  // A 1-D int64 initializer (shapes, axes, indices); `scalar_shape` makes it rank 0.
  OnnxModel& ints(const std::string& name, const std::vector<int64_t>& values, bool scalar_shape = false) {
    onnx::TensorProto* t = proto_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    if (!scalar_shape) t->add_dims(int64_t(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
    return *this;
  }

  // Appends a node (named `name`, or op + index when empty) and returns it for attributes.
  onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "") {
    onnx::NodeProto* n = proto_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + "_" + std::to_string(proto_.graph().node_size() - 1) : name);
    for (const std::string& i : inputs) n->add_input(i);
    for (const std::string& o : outputs) n->add_output(o);
    return *n;
  }

  std::string bytes() const {
    std::string out;
    proto_.SerializeToString(&out);
    return out;
  }
  onnx::ModelProto& proto() { return proto_; }

 private:
  static void set_type(onnx::ValueInfoProto* v, const std::string& name, const std::vector<int64_t>& dims,
                       const std::string& symbol) {
    v->set_name(name);
    onnx::TypeProto_Tensor* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    onnx::TensorShapeProto* shape = t->mutable_shape();
    for (size_t i = 0; i < dims.size(); ++i) {
      if (dims[i] >= 0) shape->add_dim()->set_dim_value(dims[i]);
      else shape->add_dim()->set_dim_param(i == 0 ? "N" : symbol);
    }
  }

  onnx::ModelProto proto_;
};

inline void set_attr(onnx::NodeProto& n, const std::string& name, int64_t v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
inline void set_attr(onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
inline void set_attr(onnx::NodeProto& n, const std::string& name, float v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
inline void set_attr(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  onnx::AttributeProto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

// Conv (no bias) + BatchNormalization (+ Clip(0, 6) on the scalars "zero" and "six", which the
// caller declares) as torchvision exports them; returns the output name.
inline std::string conv_bn(OnnxModel& m, const std::string& name, const std::string& x, int64_t cin, int64_t cout, int64_t k,
                    int64_t stride, int64_t group, bool relu6) {
  m.weight(name + ".w", {cout, cin / group, k, k});
  onnx::NodeProto& c = m.node("Conv", {x, name + ".w"}, {name + ".conv"}, name);
  set_attr(c, "group", group);
  set_attr(c, "strides", std::vector<int64_t>{stride, stride});
  set_attr(c, "pads", std::vector<int64_t>{k / 2, k / 2, k / 2, k / 2});
  for (const char* p : {".g", ".b", ".m", ".v"}) m.weight(name + p, {cout});
  m.node("BatchNormalization", {name + ".conv", name + ".g", name + ".b", name + ".m", name + ".v"}, {name + ".bn"},
         name + ".bn");
  if (!relu6) return name + ".bn";
  m.node("Clip", {name + ".bn", "zero", "six"}, {name + ".out"}, name + ".relu6");
  return name + ".out";
}

// A ViT attention block as torch exports it, on the network input "x" [1, T, C] (declared by the
// caller; T = -1: a symbolic sequence length): LayerNorm -> qkv linear -> H heads -> q k^T scaled
// by `scale_op` ("Mul" or "Div") with `scale` -> softmax -> @ v -> merge -> proj -> + x, into "y".
inline void add_attention_block(OnnxModel& m, int64_t T, int64_t C, int64_t H, const char* scale_op, float scale) {
  m.weight("ln.g", {C}).weight("ln.b", {C});
  m.weight("qkv.w", {C, 3 * C}).weight("qkv.b", {3 * C}).weight("proj.w", {C, C}).weight("proj.b", {C});
  m.ints("qkv_shape", {1, T, 3, H, C / H}).ints("merge_shape", {1, T, C}).scalar("scale", scale);
  m.ints("i0", {0}, true).ints("i1", {1}, true).ints("i2", {2}, true);
  m.node("LayerNormalization", {"x", "ln.g", "ln.b"}, {"n"}, "norm1");
  m.node("MatMul", {"n", "qkv.w"}, {"qkv0"}, "qkv");
  m.node("Add", {"qkv0", "qkv.b"}, {"qkv1"}, "qkv.bias");
  m.node("Reshape", {"qkv1", "qkv_shape"}, {"qkv2"}, "qkv_split");
  set_attr(m.node("Transpose", {"qkv2"}, {"qkv3"}, "qkv_heads"), "perm", std::vector<int64_t>{2, 0, 3, 1, 4});
  m.node("Gather", {"qkv3", "i0"}, {"q"}, "q");
  m.node("Gather", {"qkv3", "i1"}, {"k"}, "k");
  m.node("Gather", {"qkv3", "i2"}, {"v"}, "v");
  set_attr(m.node("Transpose", {"k"}, {"kt"}, "k_t"), "perm", std::vector<int64_t>{0, 1, 3, 2});
  m.node("MatMul", {"q", "kt"}, {"s0"}, "q_kt");
  m.node(scale_op, {"s0", "scale"}, {"s1"}, "scale");
  set_attr(m.node("Softmax", {"s1"}, {"p"}, "softmax"), "axis", int64_t(-1));
  m.node("MatMul", {"p", "v"}, {"o0"}, "attn_v");
  set_attr(m.node("Transpose", {"o0"}, {"o1"}, "merge_heads"), "perm", std::vector<int64_t>{0, 2, 1, 3});
  m.node("Reshape", {"o1", "merge_shape"}, {"o2"}, "merge");
  m.node("MatMul", {"o2", "proj.w"}, {"o3"}, "proj");
  m.node("Add", {"o3", "proj.b"}, {"o4"}, "proj.bias");
  m.node("Add", {"x", "o4"}, {"y"}, "residual");
}

// Imports `m` as "test.onnx".
inline Workload import(const OnnxModel& m, const OnnxImportOptions& options = {}) {
  return import_onnx_bytes(m.bytes(), "test.onnx", options);
}

inline const Layer& layer(const Workload& w, const std::string& name) {
  const int i = w.find(name);
  if (i < 0) throw std::runtime_error("no layer " + name);
  return w.layers[size_t(i)];
}

inline LayerCounts counts(const Workload& w, const std::string& name) { return count_layer(layer(w, name), w.precision); }

}  // namespace h4h::test
