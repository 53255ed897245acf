// ExternalMemory + DmaChannel, with every expected cycle derived by hand from the contract in
// dma_channel.h / external_memory.h:
//  - a command pushed in cycle t is issued from t + 1, one burst per cycle, while fewer than
//    max_outstanding bursts are outstanding; a burst finishing in c frees its slot for c + 1;
//  - a burst issued in i moves data from i + latency on; bytes moved in c are visible in c + 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "sim/systemc/memory/external_memory.h"

namespace h4h::cyc {
namespace {

MemoryRequest xrd(int64_t address, int64_t bytes, uint64_t tag) {
  return MemoryRequest{MemoryTarget::External, address, bytes, false, tag};
}

struct Push {
  Cycle cycle;
  int channel;
  MemoryRequest request;
};

struct Seen {
  Cycle cycle;  // visible in deliveries() during this cycle
  int channel;
  uint64_t tag;
  int64_t bytes;
  bool last;
  bool operator==(const Seen& o) const {
    return std::tie(cycle, channel, tag, bytes, last) ==
           std::tie(o.cycle, o.channel, o.tag, o.bytes, o.last);
  }
};

struct Trace {
  std::vector<Seen> seen;
  int64_t ticks = 0;
  Cycle done(uint64_t tag) const {
    for (const Seen& s : seen)
      if (s.tag == tag && s.last) return s.cycle;
    return -1;
  }
  int64_t bytes_by(uint64_t tag, Cycle c) const {
    int64_t sum = 0;
    for (const Seen& s : seen)
      if (s.tag == tag && s.cycle <= c) sum += s.bytes;
    return sum;
  }
};

// Cycles 0 .. end-1: in cycle t, record the deliveries visible in t, push the script's commands of
// t, tick(t). With `skip`, cycles that next_event_cycle() says cannot change anything are not ticked
// (and not visited unless the script pushes in them).
Trace run(ExternalMemory& mem, const std::vector<Push>& script, Cycle end, bool skip = false) {
  Trace r;
  Cycle t = 0;
  while (t < end) {
    for (int c = 0; c < mem.channels(); ++c)
      for (const MemoryDelivery& d : mem.channel(c).deliveries())
        r.seen.push_back(Seen{t, c, d.tag, d.bytes, d.last});
    Cycle next_push = end;
    for (const Push& p : script) {
      if (p.cycle == t) mem.channel(p.channel).commands().push(p.request);
      if (p.cycle > t) next_push = std::min(next_push, p.cycle);
    }
    if (!skip || mem.next_event_cycle() <= t) {
      mem.tick(t);
      ++r.ticks;
    }
    t = skip ? std::max(t + 1, std::min(mem.next_event_cycle(), next_push)) : t + 1;
  }
  return r;
}

DmaChannelConfig channel(int64_t burst, int max_outstanding, double port = 8) {
  DmaChannelConfig c;
  c.burst_bytes = burst;
  c.max_outstanding = max_outstanding;
  c.port_bytes_per_cycle = port;
  c.queue_entries = 2;
  return c;
}

// 4 bursts of B = 8 bytes (32 bytes at 0) over a 1 B/cycle bus: T = B / r = 8 cycles per burst.
// The command is pushed in 0, so the first burst issues in 1.
struct FourBursts {
  std::unique_ptr<ExternalMemory> mem;
  Trace run;
};
FourBursts four_bursts(int latency, int max_outstanding) {
  FourBursts f;
  f.mem = std::make_unique<ExternalMemory>(ExternalMemoryConfig{1, latency});
  f.mem->add_channel(channel(8, max_outstanding));
  f.run = run(*f.mem, {{0, 0, xrd(0, 32, 9)}}, 80);
  return f;
}

// max_outstanding 1, L = 8: burst k issues when burst k-1 finished: issue 1, 17, 33, 49; each moves
// 8 cycles from issue + 8: 9..16, 25..32, 41..48, 57..64. Last byte in 64, visible in 65: in general
// 1 + N (L + T) = 1 + 4 * 16. Stalls at max_outstanding: 2..16, 18..32, 34..48 = 45 cycles.
TEST(Dma, OneOutstandingBurstExposesTheLatencyOfEveryBurst) {
  const FourBursts f = four_bursts(8, 1);
  const Trace& r = f.run;
  const ExternalMemory* mem = f.mem.get();
  EXPECT_EQ(r.bytes_by(9, 64), 31);
  EXPECT_EQ(r.done(9), 65);
  EXPECT_EQ(mem->channel(0).counters().bursts, 4);
  EXPECT_EQ(mem->channel(0).counters().outstanding_stall_cycles, 45);
  EXPECT_EQ(mem->counters().bus_busy_cycles, 32);
  EXPECT_EQ(mem->counters().bytes_read, 32);
  EXPECT_EQ(mem->channel(0).counters().commands, 1);
}

// max_outstanding 2, L = T = 8: burst 0 issues in 1 and moves 9..16; burst 1 issues in 2 (ready 10)
// and moves 17..24; burst 2 issues in 17 (burst 0 done in 16), ready 25 = exactly when the bus frees:
// 25..32; burst 3 issues in 25, ready 33: 33..40. Gap-free: last visible in 1 + L + N T = 41.
// Stalls: burst 2 waits 3..16 (14), burst 3 waits 18..24 (7).
TEST(Dma, TwoOutstandingBurstsExactlyHideALatencyOfOneBurst) {
  const FourBursts f = four_bursts(8, 2);
  const Trace& r = f.run;
  const ExternalMemory* mem = f.mem.get();
  EXPECT_EQ(r.bytes_by(9, 40), 31);
  EXPECT_EQ(r.done(9), 41);
  EXPECT_EQ(mem->channel(0).counters().outstanding_stall_cycles, 21);
  EXPECT_EQ(mem->counters().bus_busy_cycles, 32);
}

// max_outstanding 2, L = T + 1 = 9: burst 0: issue 1, moves 10..17; burst 1: issue 2, moves 18..25;
// burst 2: issue 18, ready 27: the bus idles in 26, moves 27..34; burst 3: issue 26, ready 35 =
// when the bus frees: 35..42. Last visible in 43, one cycle later than a hidden latency (1 + 9 + 32).
TEST(Dma, TwoOutstandingBurstsDoNotHideOneCycleMoreLatency) {
  const Trace r = four_bursts(9, 2).run;
  EXPECT_EQ(r.bytes_by(9, 26), 16);  // bursts 0 and 1 (moved by 25)
  EXPECT_EQ(r.bytes_by(9, 27), 16);  // the bubble: nothing moved in 26
  EXPECT_EQ(r.bytes_by(9, 42), 31);
  EXPECT_EQ(r.done(9), 43);
}

// L = 2 T = 16 ("one more burst of latency"). max_outstanding 2: bursts move 17..24, 25..32, then
// burst 2 (issued 25 when burst 0 finished, ready 41) 41..48, burst 3 (issued 33, ready 49) 49..56:
// visible 57. max_outstanding 3 hides it again: 17..24, 25..32, 33..40 (issued 3), burst 3 issued
// in 25, ready 41: 41..48, visible 49 = 1 + L + N T. (k outstanding hide L iff L <= (k - 1) T.)
TEST(Dma, ALatencyOfTwoBurstsNeedsThreeOutstanding) {
  Trace r = four_bursts(16, 2).run;
  EXPECT_EQ(r.bytes_by(9, 56), 31);
  EXPECT_EQ(r.done(9), 57);
  r = four_bursts(16, 3).run;
  EXPECT_EQ(r.bytes_by(9, 48), 31);
  EXPECT_EQ(r.done(9), 49);
}

// Bursts are aligned to multiples of burst_bytes: 200 bytes at 100 with B = 128 are the bursts
// 100..127 (28), 128..255 (128), 256..299 (44). L = 0, bus and port 64 B/cycle:
//   cycle 1: issue burst 0, move its 28; 2: issue burst 1, move 64 of it; 3: issue burst 2, move
//   burst 1's other 64; 4: move burst 2's 44. Visible one cycle later each.
// With bus and port 100 B/cycle: 1: 28; 2: 100 of burst 1; 3: its last 28 and burst 2's 44 in one
// delivery of 72 (one delivery per command per cycle), visible in 4.
TEST(Dma, BurstsAreAlignedToTheBurstSize) {
  {
    ExternalMemory mem(ExternalMemoryConfig{64, 0});
    mem.add_channel(channel(128, 8, 64));
    const Trace r = run(mem, {{0, 0, xrd(100, 200, 3)}}, 8);
    const std::vector<Seen> want = {
        {2, 0, 3, 28, false}, {3, 0, 3, 64, false}, {4, 0, 3, 64, false}, {5, 0, 3, 44, true}};
    EXPECT_EQ(r.seen, want);
    EXPECT_EQ(mem.channel(0).counters().bursts, 3);
  }
  {
    ExternalMemory mem(ExternalMemoryConfig{100, 0});
    mem.add_channel(channel(128, 8, 100));
    const Trace r = run(mem, {{0, 0, xrd(100, 200, 3)}}, 8);
    const std::vector<Seen> want = {{2, 0, 3, 28, false}, {3, 0, 3, 100, false}, {4, 0, 3, 72, true}};
    EXPECT_EQ(r.seen, want);
  }
}

// A 0.5 B/cycle bus moves a byte in odd cycles only (rate.h). 4 bytes, L = 2: issued in 1, ready in
// 3; bytes move in 3, 5, 7, 9: visible in 10. The channel waits for the bus in 4, 6, 8.
TEST(Dma, FractionalBusRate) {
  ExternalMemory mem(ExternalMemoryConfig{0.5, 2});
  mem.add_channel(channel(4, 1));
  const Trace r = run(mem, {{0, 0, xrd(0, 4, 1)}}, 14);
  EXPECT_EQ(r.bytes_by(1, 9), 3);
  EXPECT_EQ(r.done(1), 10);
  EXPECT_EQ(mem.channel(0).counters().bus_wait_cycles, 3);
  EXPECT_EQ(mem.counters().bus_busy_cycles, 4);
}

// Two channels (port 8 B/cycle each), 16 bytes each, L = 0, both issue in 1.
//  - bus 8 B/cycle: round-robin by cycle: channel 0 moves in 1 and 3, channel 1 in 2 and 4:
//    visible in 4 and 5; channel 0 waited for the bus in 2, channel 1 in 1 and 3.
//  - bus 16 B/cycle: both move 8 in 1 and 2: both visible in 3.
//  - one channel alone on the 16 B/cycle bus is capped by its 8 B/cycle port: visible in 3, not 2.
TEST(Dma, ChannelsShareTheBusRoundRobinAndPortWidthCapsAChannel) {
  const std::vector<Push> two = {{0, 0, xrd(0, 16, 1)}, {0, 1, xrd(4096, 16, 2)}};
  {
    ExternalMemory mem(ExternalMemoryConfig{8, 0});
    mem.add_channel(channel(16, 2));
    mem.add_channel(channel(16, 2));
    const Trace r = run(mem, two, 8);
    EXPECT_EQ(r.done(1), 4);
    EXPECT_EQ(r.bytes_by(2, 4), 8);
    EXPECT_EQ(r.done(2), 5);
    EXPECT_EQ(mem.channel(0).counters().bus_wait_cycles, 1);
    EXPECT_EQ(mem.channel(1).counters().bus_wait_cycles, 2);
    EXPECT_EQ(mem.counters().bus_busy_cycles, 4);
  }
  {
    ExternalMemory mem(ExternalMemoryConfig{16, 0});
    mem.add_channel(channel(16, 2));
    mem.add_channel(channel(16, 2));
    const Trace r = run(mem, two, 8);
    EXPECT_EQ(r.done(1), 3);
    EXPECT_EQ(r.done(2), 3);
    EXPECT_EQ(mem.counters().bus_busy_cycles, 2);
  }
  {
    ExternalMemory mem(ExternalMemoryConfig{16, 0});
    mem.add_channel(channel(16, 2));
    const Trace r = run(mem, {{0, 0, xrd(0, 16, 1)}}, 8);
    EXPECT_EQ(r.bytes_by(1, 2), 8);
    EXPECT_EQ(r.done(1), 3);
  }
}

// Skipping the cycles next_event_cycle() allows gives the same deliveries and counters as ticking
// every cycle, with far fewer ticks while bursts wait out a 64-cycle latency.
TEST(Dma, SkippingIdleCyclesChangesNothing) {
  const std::vector<Push> script = {{0, 0, xrd(0, 256, 1)},
                                    {0, 1, xrd(1000, 100, 2)},
                                    {300, 0, xrd(5000, 40, 3)},
                                    {301, 1, MemoryRequest{MemoryTarget::External, 64, 64, true, 4}}};
  auto simulate = [&](bool skip, std::vector<int64_t>& counters) {
    ExternalMemory mem(ExternalMemoryConfig{4, 64});
    mem.add_channel(channel(32, 2));
    mem.add_channel(channel(32, 1, 2));
    const Trace r = run(mem, script, 600, skip);
    EXPECT_TRUE(mem.idle());
    for (int c = 0; c < 2; ++c) {
      const DmaChannelCounters& k = mem.channel(c).counters();
      counters.insert(counters.end(), {k.bytes_read, k.bytes_written, k.bursts, k.commands,
                                       k.outstanding_stall_cycles, k.bus_cycles, k.bus_wait_cycles});
    }
    counters.push_back(mem.counters().bus_busy_cycles);
    return r;
  };
  std::vector<int64_t> every_counters, skip_counters;
  const Trace every = simulate(false, every_counters);
  const Trace skip = simulate(true, skip_counters);
  EXPECT_EQ(every.seen, skip.seen);
  EXPECT_EQ(every_counters, skip_counters);
  EXPECT_EQ(every.ticks, 600);
  EXPECT_LT(skip.ticks, 400);
  EXPECT_EQ(skip_counters[1 + 7], 64);  // channel 1 wrote 64 bytes
  for (uint64_t tag : {1, 2, 3, 4}) EXPECT_GT(every.done(tag), 0) << tag;
}

// Clients pushing before or after evaluate(), in either channel order, give the same result.
TEST(Dma, ResultDoesNotDependOnTheOrderOfClientsWithinACycle) {
  auto simulate = [](bool clients_first) {
    ExternalMemory mem(ExternalMemoryConfig{3, 5});
    mem.add_channel(channel(16, 2));
    mem.add_channel(channel(8, 3, 4));
    std::vector<Seen> seen;
    int pushed[2] = {0, 0};
    auto client = [&](int c) {
      if (pushed[c] < 6 && mem.channel(c).commands().can_push()) {
        mem.channel(c).commands().push(xrd(100 * pushed[c] + 7 * c, 10 + 9 * pushed[c], 10 * c + pushed[c]));
        ++pushed[c];
      }
    };
    for (Cycle t = 0; t < 300; ++t) {
      for (int c = 0; c < 2; ++c)
        for (const MemoryDelivery& d : mem.channel(c).deliveries())
          seen.push_back(Seen{t, c, d.tag, d.bytes, d.last});
      if (clients_first) {
        client(0), client(1);
        mem.evaluate(t);
      } else {
        mem.evaluate(t);
        client(1), client(0);
      }
      mem.commit();
    }
    EXPECT_TRUE(mem.idle());
    return seen;
  };
  EXPECT_EQ(simulate(true), simulate(false));
}

std::string invalid_argument_of(const ExternalMemoryConfig& m, const DmaChannelConfig& c) {
  try {
    ExternalMemory mem(m);
    mem.add_channel(c);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(Dma, RejectsBadParametersNamingThem) {
  const DmaChannelConfig ok = channel(128, 8);
  EXPECT_NE(invalid_argument_of({0, 64}, ok).find("bytes_per_cycle"), std::string::npos);
  EXPECT_NE(invalid_argument_of({1, -1}, ok).find("latency_cycles"), std::string::npos);
  EXPECT_NE(invalid_argument_of({1, 64}, channel(0, 8)).find("burst_bytes"), std::string::npos);
  EXPECT_NE(invalid_argument_of({1, 64}, channel(128, 0)).find("max_outstanding"), std::string::npos);
  EXPECT_NE(invalid_argument_of({1, 64}, channel(128, 8, 0)).find("port_bytes_per_cycle"),
            std::string::npos);
  DmaChannelConfig no_queue = ok;
  no_queue.queue_entries = 0;
  EXPECT_NE(invalid_argument_of({1, 64}, no_queue).find("queue_entries"), std::string::npos);
  EXPECT_EQ(invalid_argument_of({1, 64}, ok), "");
}

TEST(Dma, CommandForAnotherTargetIsALogicError) {
  ExternalMemory mem(ExternalMemoryConfig{1, 4});
  mem.add_channel(channel(128, 8));
  mem.channel(0).commands().push(MemoryRequest{MemoryTarget::Sram, 0, 8, false, 1});
  mem.tick(0);
  EXPECT_THROW(mem.tick(1), std::logic_error);
}

}  // namespace
}  // namespace h4h::cyc
