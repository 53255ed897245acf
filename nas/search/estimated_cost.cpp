#include "nas/search/estimated_cost.h"

#include "models/space/arch_workload.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/map/schemas.h"

namespace h4h {

EstimatedCost::EstimatedCost(const SearchSpace& space, const std::string& hw_file, std::vector<Override> overrides,
                             std::string mapping, std::string objective)
    : space_(space),
      hw_text_(read_text_file(hw_file)),
      hw_file_(hw_file),
      overrides_(std::move(overrides)),
      mapping_(std::move(mapping)),
      objective_(std::move(objective)) {
  hardware(HwGenes{});  // validates the file and the overrides now
}

const HardwareSpec& EstimatedCost::hardware(const HwGenes& genes) {
  const auto key = std::make_pair(genes.cim_macros, genes.cim_compute_units);
  auto it = systems_.find(key);
  if (it == systems_.end()) {
    std::vector<Override> all = overrides_;
    for (const Override& o : gene_overrides(genes)) all.push_back(o);
    it = systems_.emplace(key, parse_hardware(hw_text_, hw_file_, all)).first;
  }
  return it->second;
}

Mapping EstimatedCost::mapping(const Workload& workload, const HardwareSpec& hw) const {
  const bool partitioned = mapping_ == "optimal" || mapping_ == "optimal-concurrent";
  if (partitioned && hw.cim.macros == 0) return resolve_mapping("npu-only", workload, hw);
  return resolve_mapping(mapping_, workload, hw, objective_);
}

Scores EstimatedCost::operator()(const Candidate& c) {
  const HardwareSpec& hw = hardware(c.hw);
  const Workload w = arch_to_workload(c.arch, space_, arch_key(c.arch));
  Scores s;
  s.cim_macros = hw.cim.macros;
  Mapping m;
  try {
    m = mapping(w, hw);
  } catch (const InputError& e) {
    s.hw_ok = false;
    s.hw_error = e.what();
    return s;
  }
  const EvalResult r = estimator_.evaluate(w, hw, m);
  if (!r.ok) {
    s.hw_ok = false;
    s.hw_error = r.reason;
    return s;
  }
  s.latency_ms = double(r.report.total_cycles) / hw.clock_hz() * 1e3;
  s.energy_uj = r.report.energy_pj() * 1e-6;
  return s;
}

}  // namespace h4h
