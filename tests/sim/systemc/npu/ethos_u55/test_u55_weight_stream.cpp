// The weight stream feeding the MAC unit through the weight FIFO and decoder: a slow stream starves
// the MAC unit; at the decoder's own rate (8 bytes per cycle) it no longer does.
#include <gtest/gtest.h>

#include "sim/systemc/npu/ethos_u55/u55_standalone.h"
#include "tests/sim/systemc/npu/ethos_u55/test_u55_support.h"

namespace h4h {
namespace {

using cyc::U55Stall;

cyc::U55StandaloneMemory external_at(double bytes_per_cycle) {
  cyc::U55StandaloneMemory m;
  m.external.bytes_per_cycle = bytes_per_cycle;
  return m;
}

// Hand-derived: a fully connected 32 -> 8 on u55-256 is one block, one job, one weight set of
// 32 x 8 = 256 bytes (4 requests of 64 bytes, pushed in cycles 0..3), decoded in 32 rows of 8
// bytes; the MAC unit then takes one 4-cycle pass. Scale/bias in SRAM.
//  - 1 byte/cycle: request i (0..3) is served in cycles 64i+1 .. 64i+64 and seen at 64i+65; the
//    decoder writes 8 rows from each (65..72, 129..136, 193..200, 257..264) and starves at 0..64 and
//    between (3 x 56): 233 cycles. The MAC unit waits for its IFM at 0..1, for the set at 2..264
//    (decoder starved the cycle before: 232 stream stalls, else 31 decode stalls), passes at
//    265..268; the output unit drains the 8 outputs at 4 per cycle at 269..270, its write goes out
//    at 271 and is acknowledged at 273: the op ends at 274.
//  - 8 bytes/cycle (the decoder's rate): request i is seen at 8i+9, exactly when the decoder needs
//    it: it starves only before the first (0..8, 9 cycles), the MAC unit waits 8 cycles on the
//    stream (2..9) and 31 on the decoder (10..40), passes at 41..44: the op ends at 50.
TEST(U55WeightStream, HandDerivedSingleWeightSet) {
  const cyc::U55Command c = u55test::only_command(u55test::linear(32, 8), 256);
  ASSERT_EQ(c.type, cyc::U55BlockType::VectorProduct);

  const cyc::U55Counters slow = cyc::run_u55_standalone(c, external_at(1));
  EXPECT_EQ(slow.cycles(), 274);
  EXPECT_EQ(slow.mac_busy_cycles, 4);
  EXPECT_EQ(slow.stall_of(U55Stall::MacIfm), 2);
  EXPECT_EQ(slow.stall_of(U55Stall::MacWeightStream), 232);
  EXPECT_EQ(slow.stall_of(U55Stall::MacWeightDecode), 31);
  EXPECT_EQ(slow.stall_of(U55Stall::DecoderStream), 233);
  EXPECT_EQ(slow.weight_read_bytes, 256);
  EXPECT_GE(slow.cycles(), slow.weight_read_bytes);

  const cyc::U55Counters at_rate = cyc::run_u55_standalone(c, external_at(8));
  EXPECT_EQ(at_rate.cycles(), 50);
  EXPECT_EQ(at_rate.stall_of(U55Stall::MacWeightStream), 8);
  EXPECT_EQ(at_rate.stall_of(U55Stall::MacWeightDecode), 31);
  EXPECT_EQ(at_rate.stall_of(U55Stall::DecoderStream), 9);
  EXPECT_EQ(at_rate.actions.npu_macs, 32 * 8);
}

// A larger convolution (MAC-bound: 128-cycle sets against the decoder's 32): a 1 byte/cycle flash
// starves the MAC unit, the op then taking at least one cycle per weight byte; at 8 bytes/cycle the
// stream keeps ahead and the op runs as with the ideal memory.
TEST(U55WeightStream, SlowStreamStarvesTheMacUnit) {
  const Layer l = u55test::conv(8, 16, 64, 64, 3);
  const cyc::U55Command c = u55test::only_command(l, 256);
  const cyc::U55Counters slow = cyc::run_u55_standalone(c, external_at(1));
  const cyc::U55Counters fast = cyc::run_u55_standalone(c, external_at(8));
  const cyc::U55Counters ideal = cyc::run_u55_standalone(c);
  EXPECT_GT(slow.stall_of(U55Stall::MacWeightStream), 0);
  EXPECT_GE(slow.cycles(), slow.weight_read_bytes);
  EXPECT_EQ(fast.stall_of(U55Stall::MacWeightStream), 0);
  EXPECT_EQ(ideal.stall_of(U55Stall::MacWeightStream), 0);
  EXPECT_EQ(fast.cycles(), ideal.cycles());
  EXPECT_LT(fast.cycles(), slow.cycles() * 6 / 10);
  // The same work whatever the stream: MACs and bytes do not depend on timing.
  EXPECT_EQ(slow.actions.npu_macs, count_layer(l, Precision{}).macs);
  EXPECT_EQ(fast.actions.npu_macs, slow.actions.npu_macs);
  EXPECT_EQ(fast.weight_read_bytes, slow.weight_read_bytes);
  EXPECT_EQ(ideal.cycles(), cyc::u55_compute_cycles(c));
}

}  // namespace
}  // namespace h4h
