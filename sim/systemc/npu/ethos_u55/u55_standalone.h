#pragma once
// Running one U55Command alone against simple memories, without SystemC: for tests and for
// compute_cycles. Each memory target serves the requests it has popped in order, sharing
// bytes_per_cycle between them (0: unlimited, every request served the cycle it is popped); a
// request's delivery (whole, `last`) is pushed `latency` cycles after its last byte was served.
// With the defaults (unlimited, latency 0) a request the NPU pushes in cycle t is popped in t + 1
// and its data is seen by the NPU in t + 2: the ideal memory.
#include <cstdint>

#include "sim/systemc/npu/ethos_u55/u55_command.h"
#include "sim/systemc/npu/ethos_u55/u55_counters.h"

namespace h4h::cyc {

struct U55MemoryPort {
  double bytes_per_cycle = 0;  // 0: unlimited
  int64_t latency = 0;         // cycles from the last byte served to the delivery being pushed
};

struct U55StandaloneMemory {
  U55MemoryPort sram, external;
};

// Runs `command` from cycle 0 until the datapath is idle (throws std::runtime_error after
// max_cycles: a deadlock is a model bug). Skips cycles in which nothing can change.
U55Counters run_u55_standalone(const U55Command& command, const U55StandaloneMemory& memory = {},
                               int64_t max_cycles = int64_t(1) << 34);

// compute_cycles of a command: its cycles against the ideal memory (no memory ever stalls it
// beyond the one-cycle request/delivery hand-offs), measured by running it.
int64_t u55_compute_cycles(const U55Command& command);

}  // namespace h4h::cyc
