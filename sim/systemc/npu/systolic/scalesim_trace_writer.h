#pragma once
// Streams one layer's SRAM traces in SCALE-Sim v2's format (numpy savetxt, fmt '%i', ','):
// ifmap_sram_trace.csv, filter_sram_trace.csv, ofmap_sram_trace.csv, one line per array cycle,
//   CYCLE,A0,A1,...\n
// CYCLE is SystolicWavefront::read_trace_cycle() in the ifmap and filter traces and cycle() in the
// ofmap trace; A0.. are the port's lane addresses (offsets included, -1 idle). Each file is
// written to a temp file and renamed into place by commit() (AtomicStreamFile): a target is
// either its previous self or complete. Memory is bounded (one buffer per file).
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "sim/systemc/npu/systolic/atomic_stream_file.h"
#include "sim/systemc/npu/systolic/systolic_wavefront.h"

namespace h4h::cyc {

// Replaces `line` with one trace line: "CYCLE,A0,A1,...\n".
void format_scalesim_trace_line(std::string& line, int64_t cycle, const std::vector<int64_t>& lanes);

class ScalesimTraceWriter {
 public:
  static constexpr const char* kIfmapTraceName = "ifmap_sram_trace.csv";
  static constexpr const char* kFilterTraceName = "filter_sram_trace.csv";
  static constexpr const char* kOfmapTraceName = "ofmap_sram_trace.csv";

  // Starts the three traces in `directory` (which must exist); throws std::runtime_error.
  explicit ScalesimTraceWriter(const std::string& directory);

  // Appends the wavefront's current cycle (call after each step()) to the three traces.
  void append(const SystolicWavefront& wavefront);
  // Publishes the three files (each atomically; all are synced before the first is renamed).
  void commit();

 private:
  std::array<std::unique_ptr<AtomicStreamFile>, 3> files_;  // ifmap, filter, ofmap
  std::string line_;  // reused formatting buffer
};

// Steps a fresh `wavefront` to done(), streaming every cycle into the three traces of `directory`,
// and commits them. On an exception no target file has been replaced.
void write_scalesim_sram_traces(SystolicWavefront& wavefront, const std::string& directory);

}  // namespace h4h::cyc
