// The estimator's timeline (timeline.h): list scheduling on two units, and external-memory flows
// of parts that overlap in time sharing the bandwidth max-min fairly. Every case hand-derived.
#include <gtest/gtest.h>

#include "sim/estimate/timeline.h"

namespace h4h {
namespace {

TimelinePart part(int layer, Unit unit, int64_t cycles, double bytes = 0, double cap = 0, int64_t after = 0,
                  int64_t rounds = 1) {
  TimelinePart p;
  p.layer = layer;
  p.unit = unit;
  p.cycles = cycles;
  p.external_bytes = bytes;
  p.external_cap = cap;
  p.after_external = after;
  p.external_rounds = rounds;
  return p;
}

TEST(Timeline, WithoutFlowsPartsFollowTheirUnitsAndProducers) {
  // a (npu, 100) -> b (cim, 50) -> d (npu, 10); c (npu, 30) independent; e (cim, 20) reads c.
  const std::vector<TimelinePart> parts = {part(0, Unit::Npu, 100), part(1, Unit::Cim, 50), part(2, Unit::Npu, 30),
                                           part(3, Unit::Npu, 10), part(4, Unit::Cim, 20)};
  const std::vector<std::vector<int>> producers = {{}, {0}, {}, {1}, {2}};
  const std::vector<PartTiming> t = schedule_parts(parts, producers, 1.0);
  ASSERT_EQ(t.size(), 5u);
  const int64_t expected[5][2] = {{0, 100}, {100, 150}, {100, 130}, {150, 160}, {150, 170}};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t[size_t(i)].start, expected[i][0]) << i;
    EXPECT_EQ(t[size_t(i)].end, expected[i][1]) << i;
    EXPECT_EQ(t[size_t(i)].contention, 0) << i;
  }
}

TEST(Timeline, TwoGreedyFlowsSplitTheBandwidthEvenly) {
  // Memory 1 B/cycle. NPU: 1000 bytes over its 1000 cycles (cap 1). CIM: 500 bytes at cap 1, then
  // 100 cycles (alone 600). Together each gets 0.5: the CIM's flow ends at 1000 (part at 1100);
  // the NPU has 500 bytes left, alone at 1 B/cycle, and ends at 1500.
  const std::vector<TimelinePart> parts = {part(0, Unit::Npu, 1000, 1000, 1.0), part(1, Unit::Cim, 600, 500, 1.0, 100)};
  const std::vector<PartTiming> t = schedule_parts(parts, {{}, {}}, 1.0);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].end, 1500);
  EXPECT_EQ(t[0].contention, 500);
  EXPECT_EQ(t[1].end, 1100);
  EXPECT_EQ(t[1].contention, 500);
}

TEST(Timeline, AFlowBelowItsFairShareKeepsItsPace) {
  // The NPU draws 0.2 B/cycle (200 bytes over 1000 cycles), under half the memory: it keeps its
  // pace and ends on time; the CIM gets the other 0.8 and its 800 bytes take 1000 cycles, not 800.
  const std::vector<TimelinePart> parts = {part(0, Unit::Npu, 1000, 200, 0.2), part(1, Unit::Cim, 800, 800, 1.0)};
  const std::vector<PartTiming> t = schedule_parts(parts, {{}, {}}, 1.0);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].end, 1000);
  EXPECT_EQ(t[1].end, 1000);
  EXPECT_EQ(t[1].contention, 200);
}

TEST(Timeline, RoundsPauseTheirFlowAndLeaveTheMemoryToTheOtherUnit) {
  // CIM: two rounds of 200 bytes (cap 1) each followed by 100 cycles (alone 600). NPU: 1000 bytes
  // at cap 1. 0-400 both at 0.5 (CIM round 1 done; NPU 200). 400-500 the NPU alone (300). 500-900
  // both at 0.5 (CIM round 2 done, part ends at 1000; NPU 500). Then the NPU alone: ends at 1400.
  const std::vector<TimelinePart> parts = {part(0, Unit::Npu, 1000, 1000, 1.0),
                                           part(1, Unit::Cim, 600, 400, 1.0, 100, 2)};
  const std::vector<PartTiming> t = schedule_parts(parts, {{}, {}}, 1.0);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[1].end, 1000);
  EXPECT_EQ(t[0].end, 1400);
}

TEST(Timeline, ConsumersWaitForTheDelayedProducerAndSplitLayersEndWithBothParts) {
  // Layer 0 split across both units (both parts flow, as above: ends at 1500); layer 1 on the CIM
  // reads it and starts at 1500, not at 1100 when the CIM part ended.
  const std::vector<TimelinePart> parts = {part(0, Unit::Npu, 1000, 1000, 1.0), part(0, Unit::Cim, 600, 500, 1.0, 100),
                                           part(1, Unit::Cim, 10)};
  const std::vector<PartTiming> t = schedule_parts(parts, {{}, {0}}, 1.0);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[2].start, 1500);
  EXPECT_EQ(t[2].end, 1510);
}

TEST(Timeline, AProducerListedAfterItsConsumerIsReported) {
  const std::vector<TimelinePart> parts = {part(0, Unit::Npu, 10), part(1, Unit::Npu, 10)};
  EXPECT_TRUE(schedule_parts(parts, {{1}, {}}, 1.0).empty());
}

}  // namespace
}  // namespace h4h
