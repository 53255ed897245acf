#pragma once
// Simulated time in cycles of the system clock. The simulator keeps every module on one clock and
// maps one cycle to 1 ns of SystemC time (SystemC's default 1 ps resolution), whatever clock_mhz is;
// reports convert cycles to seconds with the spec's clock.
#include <cstdint>

#include <systemc>

namespace h4h::blocksim {

inline sc_core::sc_time cycles(int64_t n) { return sc_core::sc_time::from_value(uint64_t(n > 0 ? n : 0) * 1000u); }
inline int64_t now_cycles() { return int64_t(sc_core::sc_time_stamp().value() / 1000u); }
// Suspends the calling thread until `cycle` (no-op when it has passed).
inline void wait_until(int64_t cycle) {
  const int64_t now = now_cycles();
  if (cycle > now) sc_core::wait(cycles(cycle - now));
}

}  // namespace h4h::blocksim
