// Block schedules of NPU layers (npu_model.h): the pipelined cycles of a command and the helper
// that turns Vela's averaged per-block stage cycles into integers that add up exactly.
#include <algorithm>
#include <cmath>

#include "sim/engines/npu_model.h"

namespace h4h {

int64_t NpuOpSchedule::command_cycles() const {
  if (blocks <= 0) return 0;
  // Closed forms when one stage is constant and never exceeds the other (as the engines build them).
  if (out.extra == 0 && out.base <= mac.base) return mac.sum(blocks) + out.base;
  if (mac.extra == 0 && mac.base <= out.base) return mac.base + out.sum(blocks);
  int64_t mac_end = 0, out_end = 0;
  for (int64_t i = 0; i < blocks; ++i) {
    mac_end += mac.at(i);
    out_end = std::max(out_end, mac_end) + out.at(i);
  }
  return out_end;
}

int64_t NpuSchedule::compute_cycles() const {
  int64_t cycles = 0;
  for (const NpuOpSchedule& op : ops) cycles += op.compute_cycles();
  return cycles;
}

NpuOpSchedule two_stage_op(int64_t blocks, double block_mac, double block_out, int64_t total) {
  NpuOpSchedule op;
  op.blocks = std::max<int64_t>(1, blocks);
  const bool mac_dominates = block_mac > block_out;
  const int64_t small = static_cast<int64_t>(std::floor(mac_dominates ? block_out : block_mac));
  const int64_t big_sum = total - small;
  StageCycles big{big_sum / op.blocks, big_sum % op.blocks};
  if (small < 0 || big_sum < 0 || big.base < small) {  // not a Vela-shaped total: one stage only
    op.out = StageCycles{total / op.blocks, total % op.blocks};
    return op;
  }
  if (mac_dominates) {
    op.mac = big;
    op.out = StageCycles{small, 0};
  } else {
    op.mac = StageCycles{small, 0};
    op.out = big;
  }
  return op;
}

}  // namespace h4h
