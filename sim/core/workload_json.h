#pragma once
// Workload JSON v1 (docs/formats.md): load with validation, save, and convert.
// Contract: load/parse either return a shape-inferred Workload or throw InputError naming the file,
// the layer (by name or index) and the field, with what was expected. Never crashes on any bytes.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "sim/core/workload.h"

namespace h4h {

constexpr int kWorkloadVersion = 1;

// Limits that keep a malformed file from asking for absurd work. Each is an InputError when crossed.
constexpr int64_t kMaxDimension = 1 << 16;      // any height, width, tokens or kernel side
constexpr int64_t kMaxChannels = 1 << 20;        // channels, features, matmul m/k/n
constexpr int64_t kMaxTensorElements = int64_t(1) << 32;
constexpr size_t kMaxLayers = 100000;
// Derived per layer, after shape inference: output elements are held to kMaxTensorElements, and
// MACs (window reads for pooling) to kMaxLayerMacs, so that no count an evaluator derives from
// them (MACs, bytes, cycles, summed over kMaxLayers layers) overflows 64 bits.
constexpr int64_t kMaxLayerMacs = int64_t(1) << 40;

// The limits above for a workload built in code (a search space's subnets): more than kMaxLayers
// layers, or a layer over kMaxTensorElements output elements or kMaxLayerMacs MACs, is an InputError
// naming `file` and the layer.
void check_workload_limits(const Workload& workload, const std::string& file);

Workload load_workload(const std::string& path);
Workload parse_workload(const std::string& text, const std::string& file);
Workload workload_from_json(const nlohmann::json& doc, const std::string& file);

nlohmann::json workload_to_json(const Workload& workload);
// Writes atomically (temp file + rename).
void save_workload(const Workload& workload, const std::string& path);

}  // namespace h4h
