#pragma once
// The progress of a `h4h sweep --simulate`, kept durably so that `--resume` after a crash, a full
// disk or SIGKILL simulates only the points still missing and ends with the files of an
// uninterrupted run.
//
// DIR/sweep.partial.jsonl, JSON Lines, appended and fsynced as each point's simulation completes:
//   {"h4h_sweep_journal": 1}                                          (first line)
//   {"settings": [[KEY, VALUE], ...], "inputs": "<16 hex digits>",
//    "simulated": {"ok": bool, "status": "...", "cycles": N, "latency_ms": X, "energy_uj": X}}
// A point is known by its settings; "inputs" fingerprints everything else its simulation depends on
// (the workload, the hardware file's text, the point's mapping, the simulator's fidelity), so a
// journal left by other inputs
// is refused instead of mixed in. Figures are stored as JSON numbers that read back to the same
// doubles. Only conclusive outcomes are recorded (the simulator's result or its rejection of the
// point); a worker that crashed or timed out is retried by a resumed sweep. A line torn by a kill
// mid-append is dropped on resume. The file is removed once sweep.csv and sweep.json are written.
// Contract: a file that is not such a journal, an unreadable record, a point recorded with other
// inputs, or a journal found without --resume is an InputError naming the file (exit 2); a failed
// append is std::runtime_error naming the file (exit 1), earlier records intact.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "nas/apps/sweep_table.h"
#include "sim/core/evaluator.h"
#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"

namespace h4h {

// The fingerprint of one point's simulation inputs: 16 hex digits (FNV-1a, 64 bits).
std::string sweep_point_inputs(const Workload& workload, const std::string& hw_text,
                               const std::vector<Override>& settings, const Mapping& mapping, SimFidelity fidelity);

class SweepJournal {
 public:
  // Opens DIR/sweep.partial.jsonl (DIR must exist), creating it when there is none. With `resume`
  // an existing journal is read first; without it an existing journal is refused.
  SweepJournal(const std::string& dir, bool resume);
  ~SweepJournal();
  SweepJournal(const SweepJournal&) = delete;
  SweepJournal& operator=(const SweepJournal&) = delete;

  // Where a journal lives in an output directory.
  static std::string path_in(const std::string& dir);

  // The recorded outcome of the point with `settings`, if any. InputError when it was recorded with
  // other `inputs`.
  std::optional<SweepFigures> find(const std::vector<Override>& settings, const std::string& inputs) const;

  // Appends one record and fsyncs it.
  void record(const std::vector<Override>& settings, const std::string& inputs, const SweepFigures& simulated);

  // Removes the file (the sweep's outputs are written); nothing may be recorded after this.
  void remove();

  const std::string& path() const { return path_; }
  size_t size() const { return entries_.size(); }  // records read or appended

 private:
  struct Entry {
    std::vector<Override> settings;
    std::string inputs;
    SweepFigures simulated;
  };
  void read_existing();
  void append(const std::string& line);

  std::string path_;
  int fd_ = -1;
  off_t torn_from_ = -1;  // where a torn last line starts (-1: none)
  std::vector<Entry> entries_;
};

}  // namespace h4h
