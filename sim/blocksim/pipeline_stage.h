#pragma once
// One step of a pipeline stage (an NPU block in the MAC engine, a CIM chunk in the macros, ...)
// that consumes its input data as it streams in.
//
// Contract: begin_stage waits until the first granule of every input has arrived; finish_stage
// then waits until the stage is done: `cycles` after it started, and no earlier than each input's
// last granule plus the share of `cycles` that granule feeds (ceil(cycles x granule / bytes)).
// Waits that other initiators' traffic caused (the inputs' contention) are added to *bank_conflict.
#include <algorithm>
#include <initializer_list>

#include "sim/blocksim/sim_time.h"
#include "sim/blocksim/transfer.h"

namespace h4h::blocksim {

inline int64_t stream_end(int64_t start, int64_t cycles, const DataToken& t, int64_t shift) {
  if (t.bytes <= 0) return start + cycles;
  const int64_t tail = (cycles * t.granule + t.bytes - 1) / t.bytes;
  return std::max(start + cycles, t.last - shift + tail);
}

// Waits until the first granule of every input has arrived; returns the stage's start.
inline int64_t begin_stage(std::initializer_list<const DataToken*> inputs, int64_t* bank_conflict) {
  const int64_t now = now_cycles();
  int64_t first = now, first_alone = now;
  for (const DataToken* t : inputs) {
    if (t->bytes <= 0) continue;
    first = std::max(first, t->first);
    first_alone = std::max(first_alone, t->first - t->contention);
  }
  *bank_conflict += first - first_alone;
  wait_until(first);
  return first;
}

// Waits until a stage that started at `start` and needs `cycles` is done with its inputs.
inline void finish_stage(int64_t start, int64_t cycles, std::initializer_list<const DataToken*> inputs,
                         int64_t* bank_conflict) {
  int64_t end = start + cycles, end_alone = end;
  for (const DataToken* t : inputs) {
    end = std::max(end, stream_end(start, cycles, *t, 0));
    end_alone = std::max(end_alone, stream_end(start, cycles, *t, t->contention));
  }
  *bank_conflict += end - end_alone;
  wait_until(end);
}

// Waits for a transfer that must have completed (a buffer being reused, the last write of a part).
inline void wait_transfer(const DataToken& t, int64_t* bank_conflict) {
  const int64_t now = now_cycles();
  if (t.last <= now) return;
  *bank_conflict += (t.last - now) - std::max<int64_t>(0, t.last - t.contention - now);
  wait_until(t.last);
}

}  // namespace h4h::blocksim
