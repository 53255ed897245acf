#pragma once
// Execution traces: spans on tracks (a unit, a DMA channel) and counters (SRAM bank occupancy),
// in cycles. Written as Chrome trace-event JSON (loads in Perfetto / chrome://tracing) and as a
// per-layer CSV beside it; traces/README.md documents both formats.
// Contract: a Trace holds plain data; producers (the simulator, the estimator) append in any order;
// writers sort by (track, start) so the output is deterministic. Spans of one track may overlap; the
// Chrome writer puts overlapping (not nested) ones on extra lanes of that track.
#include <cstdint>
#include <string>
#include <vector>

namespace h4h {

struct TraceSpan {
  std::string track;  // "npu", "cim", "dma.external", "sram.port.npu", ...
  std::string name;   // usually the layer name
  std::string category;  // "layer", "block", "dma", "programming", ...
  int64_t start_cycle = 0, end_cycle = 0;
  std::vector<std::pair<std::string, double>> args;  // shown in the viewer's details pane
};

struct TraceCounter {
  std::string track;  // "sram.bank0", ...
  int64_t cycle = 0;
  double value = 0;   // e.g. bytes in flight or busy fraction
};

struct Trace {
  std::vector<TraceSpan> spans;
  std::vector<TraceCounter> counters;
};

// Chrome trace-event JSON ("traceEvents" with complete events "X" and counters "C"; one pid,
// one tid per track with thread_name metadata). Timestamps in microseconds at `clock_hz`.
std::string trace_to_chrome_json(const Trace& trace, double clock_hz, const std::string& title);

}  // namespace h4h
