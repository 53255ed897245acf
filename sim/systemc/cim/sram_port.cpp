#include "sim/systemc/cim/sram_port.h"

namespace h4h::cyc {

void SramPort::tick(Cycle) {
  if (reads_.empty() && writes_.empty()) return;
  if (!out_.can_push()) {
    ++counters_.blocked_cycles;
    return;
  }
  const bool write = !writes_.empty() && (reads_.empty() || prefer_write_);
  if (write) {
    out_.push(writes_.pop());
    ++counters_.writes;
  } else {
    out_.push(reads_.pop());
    ++counters_.reads;
  }
  prefer_write_ = !write;
}

}  // namespace h4h::cyc
