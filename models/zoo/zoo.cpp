#include "models/zoo/zoo.h"

#include "sim/core/error.h"

namespace h4h {

namespace {

struct ZooEntry {
  const char* name;
  Workload (*build)();
  PublishedFigures figures;
};

// MACs and params as published with the reference implementations (torchvision's model cards,
// the DeiT paper / timm, the NASViT paper). Counts here fold BN into a per-channel conv bias,
// which stays within 2% of counts that include BN's scale and shift.
const ZooEntry kZoo[] = {
    {"mobilenet_v2", build_mobilenet_v2,
     {300.8e6, 3.505e6, "torchvision mobilenet_v2: 3,504,872 params, 0.30 GFLOPS (300.8M MACs); "
                        "Sandler et al. 2018: 300M MAdds"}},
    {"mobilenet_v3_large", build_mobilenet_v3_large,
     {217.3e6, 5.483e6, "torchvision mobilenet_v3_large: 5,483,032 params, 0.22 GFLOPS (217.3M MACs)"}},
    {"resnet18", build_resnet18,
     {1.814e9, 11.690e6, "torchvision resnet18: 11,689,512 params, 1.81 GFLOPS (1.814G MACs)"}},
    {"deit_tiny", build_deit_tiny,
     {1.26e9, 5.717e6, "DeiT-Ti (Touvron et al. 2021; timm deit_tiny_patch16_224): 5,717,416 params, "
                       "1.26 GMACs including the attention matmuls"}},
    {"nasvit_a0", build_nasvit_a0,
     {208e6, 0.0, "Gong et al., ICLR 2022 (NASViT), ImageNet table: NASViT-A0, 208 MFLOPs at 192 px "
                  "(a searched subnet; params not given there)"}},
};

}  // namespace

std::vector<std::string> zoo_model_names() {
  std::vector<std::string> out;
  for (const ZooEntry& e : kZoo) out.push_back(e.name);
  return out;
}

bool is_zoo_model(const std::string& name) { return published_figures(name) != nullptr; }

Workload build_zoo_model(const std::string& name) {
  for (const ZooEntry& e : kZoo)
    if (name == e.name) return e.build();
  std::string known;
  for (const ZooEntry& e : kZoo) known += std::string(known.empty() ? "" : ", ") + e.name;
  throw_input_error("", "model '" + name + "'", "not a zoo model; known models: " + known);
}

const PublishedFigures* published_figures(const std::string& name) {
  for (const ZooEntry& e : kZoo)
    if (name == e.name) return &e.figures;
  return nullptr;
}

}  // namespace h4h
