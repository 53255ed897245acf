#pragma once
// Test support: SystemC elaborates once per process, so every simulation runs in a forked child
// (run_in_child, sim/core/subprocess.h) that sends back what the tests compare as JSON.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/subprocess.h"
#include "sim/systemc/systemc_evaluator.h"

namespace h4h::test {

struct SimOutcome {
  bool ok = false;
  std::string reason;
  CostReport report;  // layers: timeline, compute, stalls, actions, energy; totals
  std::vector<TraceSpan> spans;
  size_t counters = 0;
};

inline nlohmann::json actions_json(const ActionCounts& a) {
  return {a.npu_macs, a.npu_elementwise_ops, a.cim_macs, a.cim_cu_ops, a.sram_read_bytes, a.sram_write_bytes,
          a.external_read_bytes, a.external_write_bytes, a.mram_read_bits, a.mram_write_bits};
}
inline ActionCounts actions_from(const nlohmann::json& j) {
  ActionCounts a;
  int64_t* f[] = {&a.npu_macs, &a.npu_elementwise_ops, &a.cim_macs, &a.cim_cu_ops, &a.sram_read_bytes, &a.sram_write_bytes,
                  &a.external_read_bytes, &a.external_write_bytes, &a.mram_read_bits, &a.mram_write_bits};
  for (size_t i = 0; i < 10; ++i) *f[i] = j.at(i).get<int64_t>();
  return a;
}

inline std::string outcome_to_json(const EvalResult& r, const Trace* trace) {
  nlohmann::json doc = {{"ok", r.ok}, {"reason", r.reason}};
  if (r.ok) {
    const CostReport& c = r.report;
    doc["total"] = {c.total_cycles, c.npu_busy_cycles, c.cim_busy_cycles};
    doc["static_pj"] = c.static_energy_pj;
    nlohmann::json layers = nlohmann::json::array();
    for (const LayerCost& l : c.layers) {
      layers.push_back({{"t", {l.layer, l.macs, l.compute_cycles, l.cycles, l.start_cycle, l.end_cycle, l.npu_cycles,
                               l.cim_cycles}},
                        {"s", {l.stalls.memory, l.stalls.bank_conflict, l.stalls.dependency, l.stalls.weight_programming}},
                        {"a", actions_json(l.actions)},
                        {"e", {l.energy.mac_pj, l.energy.elementwise_pj, l.energy.sram_pj, l.energy.external_pj,
                               l.energy.mram_read_pj, l.energy.mram_write_pj}},
                        {"f", l.placement.npu_fraction}});
    }
    doc["layers"] = layers;
  }
  if (trace) {
    nlohmann::json spans = nlohmann::json::array();
    for (const TraceSpan& s : trace->spans) spans.push_back({s.track, s.name, s.category, s.start_cycle, s.end_cycle});
    doc["spans"] = spans;
    doc["counters"] = trace->counters.size();
  }
  return doc.dump();
}

inline SimOutcome outcome_from_json(const std::string& text) {
  const nlohmann::json doc = nlohmann::json::parse(text);
  SimOutcome o;
  o.ok = doc.at("ok").get<bool>();
  o.reason = doc.at("reason").get<std::string>();
  if (o.ok) {
    CostReport& c = o.report;
    c.evaluator = "systemc";
    c.total_cycles = doc["total"][0].get<int64_t>();
    c.npu_busy_cycles = doc["total"][1].get<int64_t>();
    c.cim_busy_cycles = doc["total"][2].get<int64_t>();
    c.static_energy_pj = doc["static_pj"].get<double>();
    for (const auto& j : doc["layers"]) {
      LayerCost l;
      const auto& t = j["t"];
      l.layer = t[0].get<int>(), l.macs = t[1].get<int64_t>(), l.compute_cycles = t[2].get<int64_t>();
      l.cycles = t[3].get<int64_t>(), l.start_cycle = t[4].get<int64_t>(), l.end_cycle = t[5].get<int64_t>();
      l.npu_cycles = t[6].get<int64_t>(), l.cim_cycles = t[7].get<int64_t>();
      const auto& s = j["s"];
      l.stalls = StallCycles{s[0].get<int64_t>(), s[1].get<int64_t>(), s[2].get<int64_t>(), s[3].get<int64_t>()};
      l.actions = actions_from(j["a"]);
      const auto& e = j["e"];
      l.energy = EnergyBreakdown{e[0].get<double>(), e[1].get<double>(), e[2].get<double>(),
                                 e[3].get<double>(), e[4].get<double>(), e[5].get<double>()};
      l.placement.npu_fraction = j["f"].get<double>();
      c.actions += l.actions;
      c.energy += l.energy;
      c.layers.push_back(l);
    }
  }
  if (doc.contains("spans")) {
    for (const auto& s : doc["spans"])
      o.spans.push_back(TraceSpan{s[0].get<std::string>(), s[1].get<std::string>(), s[2].get<std::string>(),
                                  s[3].get<int64_t>(), s[4].get<int64_t>(), {}});
    o.counters = doc["counters"].get<size_t>();
  }
  return o;
}

// Simulates in a child process; a child that fails to report is an outcome with its reason.
inline SimOutcome simulate(const Workload& w, const HardwareSpec& hw, const Mapping& m, bool record_trace = false) {
  const ChildResult r = run_in_child(
      [&]() {
        SimOptions options;
        options.record_trace = record_trace;
        SystemCEvaluator sim(options);
        const EvalResult result = sim.evaluate(w, hw, m);
        return outcome_to_json(result, record_trace ? &sim.trace() : nullptr);
      },
      120);
  if (!r.ok) {
    SimOutcome o;
    o.reason = "child failed: " + r.error;
    return o;
  }
  return outcome_from_json(r.output);
}

// Runs `job` (which may elaborate its own SystemC bench) in a child and parses what it returns.
template <typename Job>
nlohmann::json run_bench(const Job& job) {
  const ChildResult r = run_in_child([&]() { return job().dump(); }, 60);
  if (!r.ok) return nlohmann::json{{"error", r.error}};
  return nlohmann::json::parse(r.output);
}

}  // namespace h4h::test
