#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "sim/systemc/memory/rate.h"
#include "sim/systemc/memory/ring_buffer.h"

namespace h4h::cyc {
namespace {

// bytes_at(t) = floor((t + 1) w) - floor(t w).
TEST(Rate, IntegerWidthMovesExactlyItsWidthEveryCycle) {
  const Rate r(4, "w");
  for (Cycle t = 0; t < 100; ++t) EXPECT_EQ(r.bytes_at(t), 4) << t;
  EXPECT_EQ(r.bytes_at(int64_t(1) << 50), 4);
  EXPECT_EQ(r.max_bytes_per_cycle(), 4);
}

// w = 0.5: floor((t+1)/2) - floor(t/2) = 0 for even t, 1 for odd t.
// w = 2.5: 2 + (the same) = 2, 3, 2, 3, ...
TEST(Rate, FractionalWidthIsAClockAlignedPattern) {
  const Rate half(0.5, "w"), two_and_half(2.5, "w");
  for (Cycle t = 0; t < 8; ++t) {
    EXPECT_EQ(half.bytes_at(t), t % 2) << t;
    EXPECT_EQ(two_and_half.bytes_at(t), 2 + t % 2) << t;
  }
  EXPECT_EQ(half.max_bytes_per_cycle(), 1);
  EXPECT_EQ(two_and_half.max_bytes_per_cycle(), 3);
}

// w = 0.3 is not a binary fraction: it is rounded to w' = round(0.3 * 2^20) / 2^20 = 314573 / 2^20
// = 0.30000019; cycles 0 .. n-1 move floor(n w') bytes: 300 for n = 1000, 3 for n = 10.
TEST(Rate, LongRunAverageIsTheWidth) {
  const Rate r(0.3, "w");
  int64_t sum = 0;
  for (Cycle t = 0; t < 1000; ++t) sum += r.bytes_at(t);
  EXPECT_EQ(sum, 300);
  EXPECT_EQ(r.bytes_at(0) + r.bytes_at(1) + r.bytes_at(2), 0);  // floor(3 w') = 0
  EXPECT_EQ(r.bytes_at(3), 1);                                   // floor(4 w') = 1
  EXPECT_NEAR(r.bytes_per_cycle(), 0.3, 1e-6);
}

TEST(Rate, RejectsZeroNegativeAndNonFiniteNamingTheParameter) {
  for (double bad : {0.0, -1.0, 1e-9, 1.0 / 0.0}) {
    try {
      Rate r(bad, "port_bytes_per_cycle");
      FAIL() << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("port_bytes_per_cycle"), std::string::npos);
    }
  }
}

TEST(RingBuffer, KeepsOrderAcrossGrowthAndWrapAround) {
  RingBuffer<int> b(2);
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < round % 7 + 1; ++i) b.push_back(next_in++);
    for (int i = 0; i < round % 5 + 1 && !b.empty(); ++i) {
      EXPECT_EQ(b.front(), next_out++);
      b.pop_front();
    }
  }
  EXPECT_EQ(int(b.size()), next_in - next_out);
  EXPECT_THROW(RingBuffer<int>().pop_front(), std::logic_error);
}

}  // namespace
}  // namespace h4h::cyc
