#pragma once
// The learning-rate schedule of supernet training: linear warm-up from 0 to `peak` over
// `warmup_steps`, then cosine decay to 0 at `total_steps`. Stateless: the rate of a step is a
// function of the step alone, so the scheduler's state in a checkpoint is the step counter.
#include <cstdint>

namespace h4h {

struct LrSchedule {
  double peak = 0;
  int64_t warmup_steps = 0;
  int64_t total_steps = 1;

  // The rate for optimizer step `step` (0-based). Steps past the end get 0.
  double at(int64_t step) const;
};

}  // namespace h4h
