#include "nas/train/lr_schedule.h"

#include <algorithm>
#include <cmath>

namespace h4h {

double LrSchedule::at(int64_t step) const {
  if (step < 0 || step >= total_steps) return 0;
  const int64_t warmup = std::min(warmup_steps, total_steps);
  if (step < warmup) return peak * double(step + 1) / double(warmup);
  const int64_t decay_steps = total_steps - warmup;
  const double progress = double(step - warmup) / double(decay_steps);
  return 0.5 * peak * (1.0 + std::cos(M_PI * progress));
}

}  // namespace h4h
