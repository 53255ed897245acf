// SHRAM double buffering: with two IFM buffers the fetch of job k + 1 overlaps the MAC work of job
// k; with one, fetch and compute alternate.
#include <gtest/gtest.h>

#include <cstdio>

#include "sim/systemc/npu/ethos_u55/u55_standalone.h"
#include "tests/sim/systemc/npu/ethos_u55/test_u55_support.h"

namespace h4h {
namespace {

TEST(U55DoubleBuffer, IfmFetchOverlapsCompute) {
  // 3x3 conv, 64 -> 64 channels: IFM jobs of two 32-deep slices per block.
  cyc::U55Command two = u55test::only_command(u55test::conv(16, 16, 64, 64, 3), 256, u55test::addresses(false, false));
  cyc::U55Command one = two;
  one.arch.ifm_buffers = 1;
  cyc::U55StandaloneMemory m;  // a moderately slow SRAM: 2 bytes/cycle, 20 cycles latency; ideal flash
  m.sram.bytes_per_cycle = 2;
  m.sram.latency = 20;
  const cyc::U55Counters d = cyc::run_u55_standalone(two, m);
  const cyc::U55Counters s = cyc::run_u55_standalone(one, m);
  std::printf("double buffer: %lld cycles (MAC busy %lld, IFM wait %lld); single: %lld (IFM wait %lld)\n",
              (long long)d.cycles(), (long long)d.mac_busy_cycles, (long long)d.stall_of(cyc::U55Stall::MacIfm),
              (long long)s.cycles(), (long long)s.stall_of(cyc::U55Stall::MacIfm));
  EXPECT_EQ(d.mac_busy_cycles, s.mac_busy_cycles);
  EXPECT_EQ(d.ifm_read_bytes, s.ifm_read_bytes);
  // Single buffer: every fetch is exposed, the MAC unit waits for each job's IFM.
  EXPECT_LT(d.stall_of(cyc::U55Stall::MacIfm), s.stall_of(cyc::U55Stall::MacIfm) / 4);
  // The overlap saves at least half of the smaller of (fetch time, MAC time).
  const int64_t fetch_cycles = s.ifm_read_bytes / 2;
  const int64_t overlap = s.cycles() - d.cycles();
  EXPECT_GE(overlap, std::min(fetch_cycles, d.mac_busy_cycles) / 2);
  // Single-buffered, the op takes at least MAC work plus exposed IFM waits.
  EXPECT_GE(s.cycles(), s.mac_busy_cycles + s.stall_of(cyc::U55Stall::MacIfm));
}

}  // namespace
}  // namespace h4h
