#pragma once
// What a unit asks of a memory, and the unit of time of the cycle-level simulator.
//
// Addresses are byte addresses in the memory named by `target`: the shared SRAM's address space
// (0 .. sram.size_kb * 1024) or the external memory's. A request moves `bytes` bytes (>= 1)
// starting at `address`; `tag` is the requester's, returned with every delivery for it.
#include <cstdint>

namespace h4h::cyc {

using Cycle = int64_t;  // clock cycles since the start of the simulation (cycle 0 is the first)

enum class MemoryTarget { Sram, External };

struct MemoryRequest {
  MemoryTarget target = MemoryTarget::Sram;
  int64_t address = 0;
  int64_t bytes = 0;
  bool write = false;
  uint64_t tag = 0;
};

// Data of a request that arrived at (read) or was accepted by (write) the memory: `bytes` of the
// request `tag`; `last` on the delivery that completes it.
struct MemoryDelivery {
  uint64_t tag = 0;
  int64_t bytes = 0;
  bool last = false;
};

}  // namespace h4h::cyc
