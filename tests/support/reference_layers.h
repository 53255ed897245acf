#pragma once
// The rows of the outside tools' reference tables (tests/data/reference) as h4h layers and NPU specs,
// written once for every test that reads them.
//  - vela_u55_public.csv: one int8 op alone on Ethos-U55-64/128/256 with Vela's default system
//    (the matching hwconfigs/ethos-u55-N.yaml preset).
//  - scalesim_public.csv: one unpadded conv or GEMM (M tokens x K inputs x N outputs) on an R x C
//    systolic array in the row's dataflow.
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/workload.h"
#include "tests/support/build_paths.h"
#include "tests/support/csv.h"

namespace h4h::test {

inline std::vector<CsvRow> vela_rows() { return read_csv(reference_dir() + "/vela_u55_public.csv"); }
inline std::vector<CsvRow> scalesim_rows() { return read_csv(reference_dir() + "/scalesim_public.csv"); }

// `layer` alone in a workload, its output shape inferred.
inline Layer shape_inferred(Layer layer) {
  Workload w;
  w.layers.push_back(std::move(layer));
  infer_shapes(w);
  return w.layers[0];
}

inline int vela_macs_per_cycle(const CsvRow& r) {  // "u55-128" -> 128
  const std::string& accel = r.str("accel");
  return std::stoi(accel.substr(accel.find('-') + 1));
}

// The matching preset (hwconfigs/ethos-u55-N.yaml): Vela's default system for that configuration.
inline NpuSpec u55_npu(int macs_per_cycle) {
  return load_hardware(source_dir() + "/hwconfigs/ethos-u55-" + std::to_string(macs_per_cycle) + ".yaml").npu;
}

inline Layer vela_layer(const CsvRow& r) {
  Layer l;
  l.name = r.str("shape_id");
  const std::string& op = r.str("op");
  l.input = Shape{r.num("in_h"), r.num("in_w"), r.num("in_c")};
  l.kernel_h = int(r.num("kernel_h")), l.kernel_w = int(r.num("kernel_w"));
  l.stride_h = int(r.num("stride_h")), l.stride_w = int(r.num("stride_w"));
  l.padding = r.str("padding") == "valid" ? Padding::Valid : Padding::Same;
  l.activation = r.str("activation") == "relu" ? ActivationFn::Relu : ActivationFn::None;
  if (op == "conv2d" || op == "depthwise_conv2d") {
    l.op = op == "conv2d" ? OpKind::Conv2d : OpKind::DepthwiseConv2d;
    l.out_channels = r.num("out_c");
  } else if (op == "linear") {
    l.op = OpKind::Linear;
    l.out_features = r.num("out_c");
  } else if (op == "add" || op == "mul") {
    l.op = op == "add" ? OpKind::Add : OpKind::Mul;
    l.extra_inputs = {l.input};
  } else if (op == "avgpool") {
    l.op = OpKind::AvgPool;
  } else {
    throw std::runtime_error("unexpected op in vela_u55_public.csv: " + op);
  }
  return shape_inferred(l);
}

inline Layer scalesim_layer(const CsvRow& r) {
  Layer l;
  l.name = r.str("case_id");
  if (r.str("kind") == "conv2d") {
    l.op = OpKind::Conv2d;
    l.input = Shape{r.num("ifmap_h"), r.num("ifmap_w"), r.num("channels")};
    l.out_channels = r.num("num_filters");
    l.kernel_h = int(r.num("filter_h")), l.kernel_w = int(r.num("filter_w"));
    l.stride_h = l.stride_w = int(r.num("stride"));
    l.padding = Padding::Valid;
  } else {
    l.op = OpKind::Linear;  // M x K inputs times K x N weights: M tokens
    l.input = Shape{1, r.num("m"), r.num("k")};
    l.out_features = r.num("n");
  }
  return shape_inferred(l);
}

inline Dataflow dataflow_named(const std::string& name) {
  if (name == "os") return Dataflow::OutputStationary;
  if (name == "ws") return Dataflow::WeightStationary;
  if (name == "is") return Dataflow::InputStationary;
  throw std::runtime_error("unknown dataflow " + name);
}

inline NpuSpec scalesim_npu(const CsvRow& r) {
  NpuSpec npu;
  npu.engine = "systolic";
  npu.array_rows = int(r.num("array_rows"));
  npu.array_cols = int(r.num("array_cols"));
  npu.dataflow = dataflow_named(r.str("dataflow"));
  return npu;
}

}  // namespace h4h::test
