#pragma once
// CostReport: what an evaluation of (workload, hardware, mapping) costs, per layer and in total.
// Cycles are at the system clock. Produced by every Evaluator (analytical or SystemC).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"

namespace h4h {

// Cycles a layer spent waiting, by cause (the analytical model fills memory; the simulator all).
struct StallCycles {
  int64_t memory = 0;              // bandwidth or latency of SRAM / external memory
  int64_t bank_conflict = 0;       // shared SRAM bank arbitration
  int64_t dependency = 0;          // waiting for producers or for the unit to free up
  int64_t weight_programming = 0;  // MRAM (re)programming before compute
  int64_t dma = 0;                 // operands from external memory (DMA bursts, outstanding limit)
  int64_t back_pressure = 0;       // a full queue downstream (e.g. CIM compute units, output unit)
};

struct LayerCost {
  int layer = 0;               // index into Workload::layers
  Placement placement;
  int64_t macs = 0;
  int64_t compute_cycles = 0;  // the unit's datapath alone (split: the slower part)
  int64_t cycles = 0;          // including stalls (end - start)
  int64_t start_cycle = 0, end_cycle = 0;
  int64_t npu_cycles = 0, cim_cycles = 0;  // busy time on each unit
  double utilization = 0;      // MACs / (peak MACs per cycle of the units used x cycles)
  StallCycles stalls;
  ActionCounts actions;
  EnergyBreakdown energy;
};

struct CostReport {
  std::string evaluator;  // "analytical" | "systemc"
  int64_t total_cycles = 0;
  double static_energy_pj = 0;
  std::vector<LayerCost> layers;
  ActionCounts actions;      // sum over layers
  EnergyBreakdown energy;    // dynamic, summed over layers
  int64_t npu_busy_cycles = 0, cim_busy_cycles = 0;

  double energy_pj() const { return energy.total_pj() + static_energy_pj; }
  int64_t macs() const;
};

// Completes a report whose layers hold their timeline (start/end), MACs and actions: each layer's
// cycles, utilization (MACs / (peak_macs_per_cycle[layer] x cycles)) and energy (dynamic_energy),
// then the report's totals in layer order and its static energy. One place for every evaluator.
void finish_report(CostReport& report, const std::vector<double>& peak_macs_per_cycle, const HardwareSpec& hw);

// An evaluation either succeeds or fails with a reason (weights too large, unsupported op, ...).
struct EvalResult {
  bool ok = false;
  std::string reason;
  CostReport report;
  static EvalResult failure(std::string why) {
    EvalResult r;
    r.reason = std::move(why);
    return r;
  }
};

// The result JSON of docs/formats.md (plus extra keys: mapping, stalls, energy by component).
nlohmann::json report_to_json(const CostReport& report, const Workload& workload, const HardwareSpec& hw,
                              const Mapping& mapping);

// Reads back what report_to_json wrote (layer order and names must match `workload`), so a report
// made in a child process can be compared in the parent. Throws InputError on a malformed document.
CostReport report_from_json(const nlohmann::json& doc, const Workload& workload);

// Per-layer CSV (one row per layer) for scripts.
std::string report_to_csv(const CostReport& report, const Workload& workload);

}  // namespace h4h
