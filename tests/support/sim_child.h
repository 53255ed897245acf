#pragma once
// Test support: SystemC elaborates once per process, so every simulation runs in a forked child
// (run_in_child, sim/core/subprocess.h) that sends back what the tests compare as JSON.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/core/cost_report.h"
#include "sim/core/subprocess.h"
#include "sim/blocksim/block_sim_evaluator.h"

namespace h4h::test {

struct SimOutcome {
  bool ok = false;
  std::string reason;
  CostReport report;  // layers: timeline, compute, stalls, actions, energy; totals
  std::vector<TraceSpan> spans;
  size_t counters = 0;
};

// The outcome as JSON: the report in the result-JSON form (report_to_json), so the hand-off carries
// every action and energy field the report has; trace spans and the counter count when recorded.
inline std::string outcome_to_json(const EvalResult& r, const Workload& w, const HardwareSpec& hw, const Mapping& m,
                                   const Trace* trace) {
  nlohmann::json doc = {{"ok", r.ok}, {"reason", r.reason}};
  if (r.ok) doc["report"] = report_to_json(r.report, w, hw, m);
  if (trace) {
    nlohmann::json spans = nlohmann::json::array();
    for (const TraceSpan& s : trace->spans) spans.push_back({s.track, s.name, s.category, s.start_cycle, s.end_cycle});
    doc["spans"] = spans;
    doc["counters"] = trace->counters.size();
  }
  return doc.dump();
}

inline SimOutcome outcome_from_json(const std::string& text, const Workload& w) {
  const nlohmann::json doc = nlohmann::json::parse(text);
  SimOutcome o;
  o.ok = doc.at("ok").get<bool>();
  o.reason = doc.at("reason").get<std::string>();
  if (o.ok) o.report = report_from_json(doc.at("report"), w);
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
        BlockSimEvaluator sim(options);
        const EvalResult result = sim.evaluate(w, hw, m);
        return outcome_to_json(result, w, hw, m, record_trace ? &sim.trace() : nullptr);
      },
      120);
  if (!r.ok) {
    SimOutcome o;
    o.reason = "child failed: " + r.error;
    return o;
  }
  return outcome_from_json(r.output, w);
}

// Runs `job` (which may elaborate its own SystemC bench) in a child and parses what it returns.
template <typename Job>
nlohmann::json run_bench(const Job& job) {
  const ChildResult r = run_in_child([&]() { return job().dump(); }, 60);
  if (!r.ok) return nlohmann::json{{"error", r.error}};
  return nlohmann::json::parse(r.output);
}

}  // namespace h4h::test
