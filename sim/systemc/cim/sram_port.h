#pragma once
// SramPort: the CIM's one port to the shared SRAM. Each cycle it moves at most one request from the
// read side (InputFetcher) or the write side (OutputWriter) into `out` (what the SRAM takes); when
// both wait, it alternates, starting with reads. A request pushed to a side in cycle t can leave in
// t + 1 and reach the SRAM in t + 2.
#include <cstdint>

#include "sim/systemc/cim/cim_common.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

struct CimSramPortCounters {
  int64_t reads = 0, writes = 0;
  int64_t blocked_cycles = 0;  // a request waited: `out` was full
};

class SramPort : public CimProcess {
 public:
  SramPort(RegisteredQueue<MemoryRequest>& reads, RegisteredQueue<MemoryRequest>& writes,
           RegisteredQueue<MemoryRequest>& out)
      : reads_(reads), writes_(writes), out_(out) {}

  const CimSramPortCounters& counters() const { return counters_; }
  void tick(Cycle now) override;
  void commit() override {}
  bool quiescent() const override { return (reads_.idle() && writes_.idle()) || !out_.can_push(); }
  void skip(int64_t cycles) override {
    if (!reads_.idle() || !writes_.idle()) counters_.blocked_cycles += cycles;
  }

 private:
  RegisteredQueue<MemoryRequest>& reads_;
  RegisteredQueue<MemoryRequest>& writes_;
  RegisteredQueue<MemoryRequest>& out_;
  bool prefer_write_ = false;
  CimSramPortCounters counters_;
};

}  // namespace h4h::cyc
