#pragma once
// What the CIM accelerator reports per command.
#include <cstdint>

#include "sim/core/energy.h"
#include "sim/systemc/kernel/memory_request.h"

namespace h4h::cyc {

enum class CimCommandKind { Program, Run };

// Stall cycles by cause, in cycles of the command (not summed over macros).
//  - operand_wait: some macro with positions left could not drive for want of an input vector.
//  - back_pressure: some macro held because its partial-sum queue was full.
//  - weight_programming: cycles of a Program command (all of them: the CIM computes nothing then).
//  - memory: cycles in which nothing advanced (see compute_cycles) while the command waited on a
//    memory: input not yet arrived, outputs not yet accepted (output buffer full), weight bytes not
//    yet delivered. memory = cycles() - compute_cycles.
// operand_wait and back_pressure overlap each other and compute or memory cycles; they say why
// macros were idle, not where the time went.
struct CimStalls {
  int64_t operand_wait = 0;
  int64_t back_pressure = 0;
  int64_t weight_programming = 0;
  int64_t memory = 0;
};

struct CimCommandRecord {
  uint64_t id = 0;
  CimCommandKind kind = CimCommandKind::Run;
  Cycle start = 0;  // the first cycle of the command
  Cycle end = 0;    // the cycle after its last
  // Cycles in which the datapath advanced and no macro waited for an operand. Run: some macro drove a
  // bit-slice or drained its pipeline with no position left, or, while no macro waited for an input
  // vector, some compute unit accumulated. (A pipeline or unit moving while a macro waits for input
  // would have overlapped the next vector's drive had memory kept up: those cycles count as memory.)
  // Program: some macro was writing a row. An approximation of the duration had memory never
  // stalled the command.
  int64_t compute_cycles = 0;
  CimStalls stalls;
  ActionCounts actions;  // cim_macs, cim_cu_ops, mram_write_bits, mram_read_bits (SRAM/external bytes: the memories')
  int64_t cycles() const { return end - start; }
};

}  // namespace h4h::cyc
