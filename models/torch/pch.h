#pragma once
// Precompiled header of the Torch targets (h4h_torch_models and whatever reuses its PCH through
// `target_precompile_headers(... REUSE_FROM h4h_torch_models)`): LibTorch's umbrella header is by
// far the slowest part of every Torch translation unit. Only stable third-party headers go here.
#include <torch/torch.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>
