#pragma once
// Memoises unit costs by layer geometry. A search evaluates thousands of subnets whose layers repeat
// (same shapes on the same hardware), and a unit cost is a pure function of (layer geometry,
// precision, hardware, unit, residency): the cache returns exactly what unit_cost.h computes.
// The cache empties itself when it is used with a different hardware spec. Not thread-safe: give
// each thread its own evaluator.
#include <cstdint>
#include <unordered_map>

#include "sim/estimate/unit_cost.h"

namespace h4h {

// Everything about a layer that its cost depends on (names and producers excluded).
struct LayerGeometryKey {
  int64_t v[10] = {};
  bool operator==(const LayerGeometryKey& o) const;
};
struct LayerGeometryHash {
  size_t operator()(const LayerGeometryKey& k) const;
};

// A hash of every number in the spec; equal specs give equal fingerprints.
uint64_t hardware_fingerprint(const HardwareSpec& hw);

class UnitCostCache {
 public:
  // `hw_fingerprint` must be hardware_fingerprint(hw), computed once per evaluation by the caller.
  const UnitCost& npu(const Layer& layer, const Precision& p, const HardwareSpec& hw, uint64_t hw_fingerprint);
  // `free_subarrays`: as cim_layer_cost (streamed parts only).
  const UnitCost& cim(const Layer& layer, const Precision& p, const HardwareSpec& hw, uint64_t hw_fingerprint, bool resident,
                      int64_t free_subarrays = kAllSubarraysFree);
  size_t size() const { return costs_.size(); }

 private:
  void reset_if_changed(uint64_t hw_fingerprint);
  uint64_t fingerprint_ = 0;
  UnitCost uncached_;  // layers too large to key: computed each time
  std::unordered_map<LayerGeometryKey, UnitCost, LayerGeometryHash> costs_;
};

}  // namespace h4h
