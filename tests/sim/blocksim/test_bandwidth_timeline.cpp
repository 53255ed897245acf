// The arbitration core of the memories (bandwidth_timeline.h): first come, first served bandwidth
// over integer cycles, with hand-derived ends.
#include <gtest/gtest.h>

#include "sim/blocksim/bandwidth_timeline.h"

namespace h4h::blocksim {
namespace {

int64_t book(BandwidthTimeline& port, BandwidthTimeline& banks, int64_t start, double bytes, bool commit = true) {
  BandwidthTimeline* lines[2] = {&port, &banks};
  return reserve(lines, 2, start, bytes, commit);
}

TEST(BandwidthTimeline, OneLineRoundsUpToWholeCyclesAndSharesTheLastOne) {
  BandwidthTimeline line(8);
  BandwidthTimeline* l[1] = {&line};
  EXPECT_EQ(reserve(l, 1, 0, 100), 13);  // 12 full cycles + 4 bytes in cycle 12
  EXPECT_EQ(reserve(l, 1, 12, 4), 13);   // the 4 bytes left in cycle 12
  EXPECT_EQ(reserve(l, 1, 12, 1), 14);   // cycle 12 is full now
  EXPECT_EQ(reserve(l, 1, 20, 0), 20);   // nothing to move
  EXPECT_DOUBLE_EQ(line.used_at(5), 8);
  EXPECT_DOUBLE_EQ(line.used_at(13), 1);
  EXPECT_DOUBLE_EQ(line.used_at(14), 0);
}

TEST(BandwidthTimeline, PortLimitsAnInitiatorBelowTheBanks) {
  BandwidthTimeline port(8), banks(32);
  EXPECT_EQ(book(port, banks, 0, 800), 100);  // the port, not the banks, limits
}

TEST(BandwidthTimeline, LaterRequestsGetWhatEarlierOnesLeft) {
  // Two 8-byte/cycle ports on one 15-byte/cycle bank: the first request keeps 8 bytes/cycle, the
  // second gets 7 while the first runs (700 bytes in 100 cycles), then 8 (100 bytes in 12.5 cycles).
  BandwidthTimeline a(8), b(8), bank(15);
  EXPECT_EQ(book(a, bank, 0, 800), 100);
  EXPECT_EQ(book(b, bank, 0, 800), 113);
  // At the limit (16 bytes/cycle) nobody waits.
  BandwidthTimeline c(8), d(8), wide(16);
  EXPECT_EQ(book(c, wide, 0, 800), 100);
  EXPECT_EQ(book(d, wide, 0, 800), 100);
}

TEST(BandwidthTimeline, OneCycleBeforeAndAtTheEndOfAnotherTransfer) {
  for (int64_t issue : {99, 100}) {
    BandwidthTimeline a(8), b(8), bank(8);
    EXPECT_EQ(book(a, bank, 0, 800), 100);
    EXPECT_EQ(book(b, bank, issue, 800, false), 200) << issue;  // one cycle early still ends at 200
    BandwidthTimeline alone_port(8), alone_bank(8);
    EXPECT_EQ(book(alone_port, alone_bank, issue, 800), issue + 100);  // alone: 199 / 200
  }
}

TEST(BandwidthTimeline, DryRunsChangeNothingAndHistoryCanBeDropped) {
  BandwidthTimeline port(8), bank(8);
  EXPECT_EQ(book(port, bank, 0, 80, false), 10);
  EXPECT_DOUBLE_EQ(bank.used_at(0), 0);
  EXPECT_EQ(book(port, bank, 0, 80), 10);
  EXPECT_EQ(book(port, bank, 50, 80), 60);
  std::vector<std::pair<int64_t, double>> dropped;
  bank.forget_before(55, [&](int64_t from, int64_t, double use) { dropped.push_back({from, use}); });
  EXPECT_EQ(dropped.size(), 3u);  // [0,10) at 8, [10,50) idle, [50,55) at 8
  EXPECT_DOUBLE_EQ(bank.used_at(55), 8);
  EXPECT_DOUBLE_EQ(bank.used_at(60), 0);
  EXPECT_EQ(book(port, bank, 55, 8), 61);  // the booking in [55, 60) survived
}

}  // namespace
}  // namespace h4h::blocksim
