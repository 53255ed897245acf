#pragma once
// A hardware sweep of one workload, end to end: the cartesian product of the
// swept settings (sweep_grid.h), each point evaluated by the analytical
// estimator and, with `simulate`, re-run in the SystemC simulator in worker
// processes (sweep_simulate.h) with each conclusive outcome journaled
// (sweep_journal.h); then OUT_DIR/sweep.csv (sweep_table.h has the columns),
// sweep.json and, when gnuplot is installed, sweep.{png,svg} (sweep_plot.h),
// each written atomically. With `resume` a journal left by an interrupted run
// is read and only the points missing there are simulated; the files are then
// those of an uninterrupted run, byte for byte. The journal is removed once the
// files are written. Contract: InputError, with nothing written, on bad input:
// a bad `sets` item, an unknown key, an out-of-range value at any point, more
// points than `max_points`, with `simulate` a point whose simulation is
// predicted to cross `limits` (sim/blocksim/sim_budget.h), no point the
// estimator can evaluate, a journal found without `resume` or one left by other
// inputs. std::runtime_error naming the file when a file cannot be written (the
// previous file stays). A point that fails (weights pinned resident do not fit,
// the simulator rejects it, its worker crashed or timed out) is a row with the
// reason, not an error.
#include <functional>
#include <string>
#include <vector>

#include "sim/core/workload.h"
#include "sim/blocksim/sim_budget.h"

namespace h4h {

struct SweepRequest {
  Workload workload;
  std::string hw_file;
  std::vector<std::string> sets;      // "KEY=V1,V2,..." per swept key (one value fixes a key)
  std::string schema = "rule";        // mapping schema or mapping file, per point
  std::string objective = "latency";  // for the optimal schemas
  std::string out_dir;
  bool simulate = false, resume = false;
  int jobs = 0;          // worker processes (<= 0: one per core)
  double timeout_s = 0;  // per simulated point (<= 0: none)
  SimLimits limits;      // per simulated point
  double max_points = kDefaultMaxSweepPoints;
};

// How a sweep reports its progress (any may be empty): `begin` a phase
// ("sweep": the estimates, "simulate": the simulations still to run) of `total`
// steps, `advance` one step with a note, `end` the phase; `resumed` when a
// journal already holds `done` of `total` points.
struct SweepProgress {
  std::function<void(const std::string& phase, size_t total)> begin;
  std::function<void(const std::string& note)> advance;
  std::function<void()> end;
  std::function<void(const std::string& journal, size_t done, size_t total)> resumed;
};

struct SweepOutcome {
  std::string csv;       // sweep.csv as written
  bool plotted = false;  // sweep.{png,svg} were written
  size_t points = 0;
  size_t sim_failed = 0;  // points whose simulation failed (with `simulate`)
};

SweepOutcome run_sweep(const SweepRequest& request, const SweepProgress& progress = {});

}  // namespace h4h
