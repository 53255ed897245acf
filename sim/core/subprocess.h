#pragma once
// Runs jobs in child processes and collects what they print. SystemC elaborates once per process,
// so every simulation runs in a fresh child; a pool runs up to `width` children at once.
// Contract: a job is a function run in a forked child; the text it returns travels back through a
// pipe. A child that crashes, exits non-zero, throws, or outlives its timeout yields a failed
// ChildResult with the reason (signal, exit code, message, "timed out after N s"); the others
// still complete. Results come back in job order. Never throws for a failing job.
// What a job prints on stdout goes to the parent's stderr (the parent's stdout stays clean); the
// parent's stdio buffers are flushed before each fork. Children are always reaped.
#include <functional>
#include <string>
#include <vector>

namespace h4h {

struct ChildResult {
  bool ok = false;
  std::string output;  // what the job returned (ok) or partial output
  std::string error;   // why it failed
};

using ChildJob = std::function<std::string()>;

ChildResult run_in_child(const ChildJob& job, double timeout_seconds = 0);

// width <= 0: as many as the machine has cores. on_done(i, result) is called in the parent as each
// job finishes (for progress bars); may be empty.
std::vector<ChildResult> run_pool(const std::vector<ChildJob>& jobs, int width, double timeout_seconds = 0,
                                  const std::function<void(size_t, const ChildResult&)>& on_done = {});

}  // namespace h4h
