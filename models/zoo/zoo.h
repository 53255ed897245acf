#pragma once
// The model zoo: Torch-free builders of reference networks as Workloads (NHWC, batch 1).
// BatchNorm is folded into the preceding conv (one bias per output channel); dropout is omitted.
#include <string>
#include <vector>

#include "sim/core/workload.h"

namespace h4h {

std::vector<std::string> zoo_model_names();
bool is_zoo_model(const std::string& name);
// Throws InputError listing the known names when `name` is not one of them.
Workload build_zoo_model(const std::string& name);

// Figures published for a zoo model: MACs (conv, linear and matmul multiply-accumulates) and
// parameters. A figure that was not published is 0. nullptr for an unknown name.
struct PublishedFigures {
  double macs;
  double params;
  const char* source;
};
const PublishedFigures* published_figures(const std::string& name);

// The individual networks (one source file each).
Workload build_mobilenet_v2();          // width 1.0, 224 x 224
Workload build_mobilenet_v3_large();    // 224 x 224
Workload build_resnet18();              // 224 x 224
Workload build_deit_tiny();             // 224 x 224, patch 16, 197 tokens
Workload build_nasvit_a0();             // NASViT supernet's smallest subnet, 192 x 192

}  // namespace h4h
