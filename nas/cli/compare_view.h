#pragma once
// Estimator vs simulator, layer by layer: what `h4h compare` prints.
// Relative error = (estimated - simulated) / simulated: the simulator is the reference, a positive
// error means the estimator overestimates. Undefined (JSON null, "n/a") when the simulated value is
// 0 and the estimate is not.
// Layers are ranked worst first by |simulated - estimated| cycles: a layer's share of the end-to-end
// cycle discrepancy (a 50% error on a 10-cycle layer matters less than 5% on a 1M-cycle one); ties
// keep network order. Action counts (MACs, bytes per memory, MRAM bits) should match exactly between
// the two evaluators; a mismatch is listed by name.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/core/cost_report.h"

namespace h4h {

struct Compared {
  double estimated = 0, simulated = 0;
  std::optional<double> rel_error() const;
};

struct LayerComparison {
  int layer = 0;  // index into Workload::layers
  Compared cycles, energy_pj;
  std::vector<std::string> differing_actions;  // ActionCounts fields that differ ("sram_read_bytes", ...)
};

struct Comparison {
  std::vector<LayerComparison> layers;  // worst first (see above)
  Compared cycles, latency_ms, energy_pj, static_energy_pj, npu_busy_cycles, cim_busy_cycles;
  std::vector<std::pair<std::string, Compared>> energy_breakdown_pj;  // mac, elementwise, sram, ...
  std::vector<std::string> differing_actions;  // in the totals
};

// `estimated` and `simulated` are reports of the same workload and mapping (one LayerCost per layer).
Comparison compare_reports(const CostReport& estimated, const CostReport& simulated, const Workload& workload,
                           const HardwareSpec& hw);

// `top` > 0 keeps only the `top` worst layers (the totals always cover the whole network).
std::string render_comparison_table(const Comparison& c, const Workload& workload, const HardwareSpec& hw,
                                    const Mapping& mapping, size_t top);
nlohmann::json comparison_to_json(const Comparison& c, const Workload& workload, const HardwareSpec& hw,
                                  const Mapping& mapping, size_t top);

}  // namespace h4h
