#pragma once
// `--device cpu|cuda[:N]` as a torch::Device; InputError when the linked LibTorch cannot run it.
#include <torch/torch.h>

#include <string>

namespace h4h {

torch::Device parse_torch_device(const std::string& text);

}  // namespace h4h
