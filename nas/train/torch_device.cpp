#include "nas/train/torch_device.h"

#include "sim/core/parameter_error.h"

namespace h4h {

torch::Device parse_torch_device(const std::string& text) {
  if (text == "cpu") return torch::kCPU;
  if (text.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available())
      throw ParameterError("device", text, "this LibTorch build has no CUDA device available; use `device` cpu");
    try {
      return torch::Device(text);
    } catch (const std::exception&) {
      throw ParameterError("device", text, "expected cuda or cuda:N");
    }
  }
  throw ParameterError("device", "expected cpu or cuda, got " + text);
}

}  // namespace h4h
