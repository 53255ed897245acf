// SharedSram, with every expected cycle derived by hand from the contract in shared_sram.h:
//  - a request pushed in cycle t is first arbitrated in t + 1;
//  - a read beat granted in g is visible in deliveries() during g + latency; a write ack in g + 1.
#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "sim/systemc/memory/shared_sram.h"

namespace h4h::cyc {
namespace {

MemoryRequest rd(int64_t address, int64_t bytes, uint64_t tag) {
  return MemoryRequest{MemoryTarget::Sram, address, bytes, false, tag};
}
MemoryRequest wr(int64_t address, int64_t bytes, uint64_t tag) {
  return MemoryRequest{MemoryTarget::Sram, address, bytes, true, tag};
}

struct Push {
  Cycle cycle;
  int port;
  MemoryRequest request;
};

struct Seen {
  Cycle cycle;  // visible in deliveries() during this cycle
  int port;
  uint64_t tag;
  int64_t bytes;
  bool last;
  bool operator==(const Seen& o) const {
    return std::tie(cycle, port, tag, bytes, last) == std::tie(o.cycle, o.port, o.tag, o.bytes, o.last);
  }
};

struct Trace {
  std::vector<Seen> seen;
  std::vector<std::vector<SramBankCycle>> banks;  // [cycle][bank], what evaluate(cycle) did
  std::vector<std::vector<SramPortCycle>> ports;  // [cycle][port]

  // The cycle in which the delivery completing `tag` was visible, -1 if never.
  Cycle done(uint64_t tag) const {
    for (const Seen& s : seen)
      if (s.tag == tag && s.last) return s.cycle;
    return -1;
  }
  // Bytes of `tag` visible up to and including cycle c.
  int64_t bytes_by(uint64_t tag, Cycle c) const {
    int64_t sum = 0;
    for (const Seen& s : seen)
      if (s.tag == tag && s.cycle <= c) sum += s.bytes;
    return sum;
  }
  // The port that bank b served in cycle c (-1: none).
  int granted(Cycle c, int b) const { return banks[size_t(c)][size_t(b)].port; }
};

// Cycles 0 .. end-1; in cycle t: record the deliveries visible in t, push the script's requests of t
// (in script order), tick(t), record the activity of t.
Trace run(SharedSram& sram, const std::vector<Push>& script, Cycle end) {
  Trace r;
  for (Cycle t = 0; t < end; ++t) {
    for (int p = 0; p < sram.ports(); ++p)
      for (const MemoryDelivery& d : sram.deliveries(p))
        r.seen.push_back(Seen{t, p, d.tag, d.bytes, d.last});
    for (const Push& push : script)
      if (push.cycle == t) sram.requests(push.port).push(push.request);
    sram.tick(t);
    r.banks.push_back(sram.bank_activity());
    r.ports.push_back(sram.port_activity());
  }
  return r;
}

SharedSramConfig config(int banks, double bank_width, int64_t interleave, int latency) {
  SharedSramConfig c;
  c.size_bytes = 1 << 20;
  c.banks = banks;
  c.bytes_per_cycle_per_bank = bank_width;
  c.interleave_bytes = interleave;
  c.latency_cycles = latency;
  return c;
}

// Two 8 B/cycle ports read 8 bytes each from bank 0 (addresses 0 and 8, interleave 64), pushed in
// cycle 0. Cycle 1: both want bank 0; round-robin with no previous grant picks port 0; port 1 has a
// conflict stall. Cycle 2: port 1 alone. Latency 1: port 0's data visible in 2, port 1's in 3.
TEST(SharedSram, TwoPortsOnOneBankConflictForOneCycle) {
  SharedSram sram(config(2, 8, 64, 1));
  sram.add_port("a", 8, 4);
  sram.add_port("b", 8, 4);
  const Trace r = run(sram, {{0, 0, rd(0, 8, 10)}, {0, 1, rd(8, 8, 20)}}, 6);
  EXPECT_EQ(r.granted(1, 0), 0);
  EXPECT_EQ(r.banks[1][0].stopped_ports, 1);
  EXPECT_EQ(r.ports[1][1].stall, SramStall::BankConflict);
  EXPECT_EQ(r.granted(2, 0), 1);
  EXPECT_EQ(r.done(10), 2);
  EXPECT_EQ(r.bytes_by(20, 2), 0);  // one cycle before
  EXPECT_EQ(r.done(20), 3);
  EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 0);
  EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 1);
  EXPECT_EQ(sram.bank_counters(0).conflict_cycles, 1);
  EXPECT_EQ(sram.bank_counters(0).busy_cycles, 2);
  EXPECT_EQ(sram.bank_counters(0).read_bytes, 16);
  EXPECT_EQ(sram.bank_counters(0).read_beats, 2);
  EXPECT_EQ(sram.bank_counters(1).read_bytes, 0);
  EXPECT_TRUE(sram.idle());
}

// The same, port 1 at address 64 (bank 1): both are served in cycle 1, both visible in 2, no stall.
TEST(SharedSram, TwoPortsOnTwoBanksAreServedInTheSameCycle) {
  SharedSram sram(config(2, 8, 64, 1));
  sram.add_port("a", 8, 4);
  sram.add_port("b", 8, 4);
  const Trace r = run(sram, {{0, 0, rd(0, 8, 10)}, {0, 1, rd(64, 8, 20)}}, 5);
  EXPECT_EQ(r.granted(1, 0), 0);
  EXPECT_EQ(r.granted(1, 1), 1);
  EXPECT_EQ(r.done(10), 2);
  EXPECT_EQ(r.done(20), 2);
  EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 0);
  EXPECT_EQ(sram.bank_counters(0).conflict_cycles, 0);
}

// Each port has two 8-byte reads on bank 0 (port 0: A0 at 0, A1 at 16; port 1: B0 at 8, B1 at 24).
// Round-robin grants the port after the last one granted: cycle 1 port 0 (A0), cycle 2 port 1 (B0),
// cycle 3 port 0 (A1), cycle 4 port 1 (B1). Stalls: port 0 in cycle 2; port 1 in cycles 1 and 3.
TEST(SharedSram, RoundRobinAlternatesBetweenConflictingPorts) {
  SharedSram sram(config(2, 8, 64, 1));
  sram.add_port("a", 8, 4);
  sram.add_port("b", 8, 4);
  const Trace r = run(sram,
                    {{0, 0, rd(0, 8, 1)}, {0, 0, rd(16, 8, 2)}, {0, 1, rd(8, 8, 3)},
                     {0, 1, rd(24, 8, 4)}},
                    7);
  EXPECT_EQ(r.granted(1, 0), 0);
  EXPECT_EQ(r.granted(2, 0), 1);
  EXPECT_EQ(r.granted(3, 0), 0);
  EXPECT_EQ(r.granted(4, 0), 1);
  EXPECT_EQ(r.done(1), 2);
  EXPECT_EQ(r.done(3), 3);
  EXPECT_EQ(r.done(2), 4);
  EXPECT_EQ(r.done(4), 5);
  EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 1);
  EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 2);
  EXPECT_EQ(sram.bank_counters(0).conflict_cycles, 3);
}

// A 16 B/cycle port reads 16 bytes at 60 (interleave 64, 2 banks of 8 B/cycle). Beats never cross the
// boundary at 64: cycle 1: 60..63 on bank 0 (4 B, up to the boundary), 64..71 on bank 1 (8 B, the
// bank's width); the next beat (72..75) finds bank 1 used up: bank-width limited. Cycle 2: 72..75
// (4 B, last). Deliveries (latency 1): cycle 2: 4 B and 8 B, cycle 3: 4 B last.
TEST(SharedSram, RequestStraddlingAnInterleaveBoundaryTouchesTwoBanks) {
  SharedSram sram(config(2, 8, 64, 1));
  sram.add_port("a", 16, 2);
  const Trace r = run(sram, {{0, 0, rd(60, 16, 7)}}, 5);
  EXPECT_EQ(r.banks[1][0].read_bytes, 4);
  EXPECT_EQ(r.banks[1][1].read_bytes, 8);
  EXPECT_EQ(r.ports[1][0].beats, 2);
  EXPECT_EQ(r.ports[1][0].stall, SramStall::BankWidth);
  EXPECT_EQ(r.banks[2][1].read_bytes, 4);
  EXPECT_EQ(r.banks[2][0].read_bytes, 0);
  const std::vector<Seen> want = {{2, 0, 7, 4, false}, {2, 0, 7, 8, false}, {3, 0, 7, 4, true}};
  EXPECT_EQ(r.seen, want);
  EXPECT_EQ(sram.port_counters(0).bank_width_limited_cycles, 1);
  EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 0);
}

// With one bank (16 B/cycle), both halves of a read of 8 bytes at 60 go to bank 0: two beats
// (60..63, 64..67) in cycle 1 from the port owning the bank; the data is visible in cycle 2.
TEST(SharedSram, OneBankServesBothHalvesOfAStraddlingRequestInOneCycle) {
  SharedSram sram(config(1, 16, 64, 1));
  sram.add_port("a", 16, 2);
  const Trace r = run(sram, {{0, 0, rd(60, 8, 7)}}, 4);
  EXPECT_EQ(r.banks[1][0].read_bytes, 8);
  EXPECT_EQ(sram.bank_counters(0).read_beats, 2);
  EXPECT_EQ(r.done(7), 2);
}

// Two 8 B/cycle streams of 64 bytes, at 0 and 64, on 2 banks of 8 B/cycle.
//  - interleave 64: stream 0 is all bank 0, stream 1 all bank 1: no conflict; each moves 8 B/cycle in
//    cycles 1..8; both complete (last visible) in 9.
//  - interleave 4096: both streams are in bank 0: round-robin alternates, port 0 in odd cycles 1..15,
//    port 1 in even cycles 2..16; port 0 completes in 16, port 1 in 17. Conflict stalls: port 0 in
//    2, 4, .., 14 (7), port 1 in 1, 3, .., 15 (8); bank 0 has a conflict in cycles 1..15.
TEST(SharedSram, InterleaveDecidesWhetherTwoStreamsConflict) {
  const std::vector<Push> script = {{0, 0, rd(0, 64, 1)}, {0, 1, rd(64, 64, 2)}};
  {
    SharedSram sram(config(2, 8, 64, 1));
    sram.add_port("a", 8, 2);
    sram.add_port("b", 8, 2);
    const Trace r = run(sram, script, 20);
    EXPECT_EQ(r.done(1), 9);
    EXPECT_EQ(r.done(2), 9);
    EXPECT_EQ(r.bytes_by(1, 8), 56);  // one cycle before: 7 beats of 8
    EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 0);
    EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 0);
  }
  {
    SharedSram sram(config(2, 8, 4096, 1));
    sram.add_port("a", 8, 2);
    sram.add_port("b", 8, 2);
    const Trace r = run(sram, script, 20);
    EXPECT_EQ(r.done(1), 16);
    EXPECT_EQ(r.done(2), 17);
    EXPECT_EQ(r.bytes_by(2, 16), 56);
    EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 7);
    EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 8);
    EXPECT_EQ(sram.bank_counters(0).conflict_cycles, 15);
    EXPECT_EQ(sram.bank_counters(1).busy_cycles, 0);
  }
}

// A 4 B/cycle bank serving an 8 B/cycle port: 8 bytes take 2 cycles (4 B beats in 1 and 2), visible
// in 2 and 3. Cycle 1 is bank-width limited (the port had 4 B of width left, the bank none).
TEST(SharedSram, NarrowBankHalvesAWidePort) {
  SharedSram sram(config(1, 4, 64, 1));
  sram.add_port("a", 8, 2);
  const Trace r = run(sram, {{0, 0, rd(0, 8, 5)}}, 5);
  const std::vector<Seen> want = {{2, 0, 5, 4, false}, {3, 0, 5, 4, true}};
  EXPECT_EQ(r.seen, want);
  EXPECT_EQ(sram.port_counters(0).bank_width_limited_cycles, 1);
  EXPECT_EQ(sram.port_counters(0).busy_cycles, 2);
}

// Fractional bank widths (rate.h: bytes in cycle t = floor((t+1)w) - floor(tw)).
//  - 2.5 B/cycle: 3 B in odd cycles, 2 in even ones. 10 bytes from cycle 1: 3 (1) + 2 (2) + 3 (3) +
//    2 (4): the last beat is granted in 4, visible in 5.
//  - 0.5 B/cycle: 1 B in odd cycles only. 2 bytes from cycle 1: 1 (1), none (2: a bank-width stall),
//    1 (3): visible in 4.
TEST(SharedSram, FractionalBankWidthIsServedByTheCyclePattern) {
  {
    SharedSram sram(config(1, 2.5, 64, 1));
    sram.add_port("a", 8, 2);
    const Trace r = run(sram, {{0, 0, rd(0, 10, 5)}}, 7);
    EXPECT_EQ(r.ports[1][0].bytes, 3);
    EXPECT_EQ(r.ports[2][0].bytes, 2);
    EXPECT_EQ(r.ports[3][0].bytes, 3);
    EXPECT_EQ(r.ports[4][0].bytes, 2);
    EXPECT_EQ(r.bytes_by(5, 4), 8);
    EXPECT_EQ(r.done(5), 5);
  }
  {
    SharedSram sram(config(1, 0.5, 64, 1));
    sram.add_port("a", 8, 2);
    const Trace r = run(sram, {{0, 0, rd(0, 2, 5)}}, 6);
    EXPECT_EQ(r.ports[2][0].bytes, 0);
    EXPECT_EQ(r.ports[2][0].stall, SramStall::BankWidth);
    EXPECT_EQ(r.bytes_by(5, 3), 1);
    EXPECT_EQ(r.done(5), 4);
    EXPECT_EQ(sram.port_counters(0).bank_width_stall_cycles, 1);
    EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 0);
  }
}

// Latency 5: a read pushed in 0 is granted in 1 and visible in 1 + 5 = 6 (not in 5). A write pushed
// in 0 with it (another port, another bank) is granted in 1 and acknowledged in 2.
TEST(SharedSram, ReadDataArrivesLatencyCyclesAfterTheGrantWriteAcksAtTheGrant) {
  SharedSram sram(config(2, 8, 64, 5));
  sram.add_port("r", 8, 2);
  sram.add_port("w", 8, 2);
  const Trace r = run(sram, {{0, 0, rd(0, 8, 1)}, {0, 1, wr(64, 8, 2)}}, 9);
  EXPECT_EQ(r.granted(1, 0), 0);
  EXPECT_EQ(r.granted(1, 1), 1);
  EXPECT_EQ(r.banks[1][1].write_bytes, 8);
  EXPECT_EQ(r.bytes_by(1, 5), 0);
  EXPECT_EQ(r.done(1), 6);
  EXPECT_EQ(r.done(2), 2);
  EXPECT_EQ(sram.bank_counters(1).write_bytes, 8);
  EXPECT_EQ(sram.port_counters(1).write_bytes, 8);
  EXPECT_EQ(sram.port_counters(0).read_bytes, 8);
}

// The driver may skip cycles that next_event_cycle() says cannot change anything: after the grant in
// cycle 1 (latency 5) the next event is evaluate(5), which stages the data visible in 6. Skipping
// straight to 5 gives the same delivery; skipping past it is a driver bug (logic_error).
TEST(SharedSram, NextEventCycleAllowsSkippingTheLatency) {
  SharedSram sram(config(1, 8, 64, 5));
  sram.add_port("r", 8, 2);
  sram.requests(0).push(rd(0, 8, 1));
  EXPECT_FALSE(sram.idle());
  EXPECT_EQ(sram.next_event_cycle(), 0);
  sram.tick(0);
  EXPECT_EQ(sram.next_event_cycle(), 1);
  sram.tick(1);
  EXPECT_FALSE(sram.idle());
  EXPECT_EQ(sram.next_event_cycle(), 5);
  sram.tick(5);
  ASSERT_EQ(sram.deliveries(0).size(), 1u);  // visible in cycle 6
  EXPECT_TRUE(sram.deliveries(0)[0].last);
  EXPECT_EQ(sram.next_event_cycle(), 6);  // the visible delivery must be cleared
  sram.tick(6);
  EXPECT_TRUE(sram.deliveries(0).empty());
  EXPECT_TRUE(sram.idle());
  EXPECT_EQ(sram.next_event_cycle(), kNoEvent);

  SharedSram skipper(config(1, 8, 64, 5));
  skipper.add_port("r", 8, 2);
  skipper.requests(0).push(rd(0, 8, 1));
  skipper.tick(0);
  skipper.tick(1);
  EXPECT_THROW(skipper.tick(6), std::logic_error);
  EXPECT_THROW(sram.tick(6), std::logic_error);  // cycles must increase
}

// Fixed priority: port 0 streams an 8-byte read on bank 0 every cycle (pushed in 0..9, granted in
// 1..10); port 1's single read on bank 0 (pushed in 0) waits until port 0 runs dry: granted in 11,
// visible in 12, after 10 conflict stall cycles. With round-robin the same read is granted in 2.
TEST(SharedSram, FixedPriorityStarvesTheLowPriorityPort) {
  std::vector<Push> script;
  for (Cycle t = 0; t < 10; ++t) script.push_back({t, 0, rd(8 * t, 8, uint64_t(100 + t))});
  script.push_back({0, 1, rd(512, 8, 1)});
  {
    SharedSramConfig c = config(1, 8, 64, 1);
    c.arbitration = SramArbitration::FixedPriority;
    SharedSram sram(c);
    sram.add_port("high", 8, 2);
    sram.add_port("low", 8, 2);
    const Trace r = run(sram, script, 15);
    for (Cycle t = 1; t <= 10; ++t) EXPECT_EQ(r.granted(t, 0), 0) << t;
    EXPECT_EQ(r.granted(11, 0), 1);
    EXPECT_EQ(r.done(1), 12);
    EXPECT_EQ(r.done(109), 11);
    EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 10);
    EXPECT_EQ(sram.port_counters(0).bank_conflict_stall_cycles, 0);
  }
  {
    SharedSram sram(config(1, 8, 64, 1));
    sram.add_port("high", 8, 4);  // port 0 falls one request behind: 3 entries at most
    sram.add_port("low", 8, 2);
    const Trace r = run(sram, script, 15);
    EXPECT_EQ(r.granted(2, 0), 1);
    EXPECT_EQ(r.done(1), 3);
    EXPECT_EQ(sram.port_counters(1).bank_conflict_stall_cycles, 1);
  }
}

// A port moves on to its next request in the same cycle when width remains: a 16 B/cycle port with
// two 8-byte reads on two banks gets both in cycle 1 (two deliveries in 2, each `last`). Its queue
// slots free in cycle 2 (register semantics).
TEST(SharedSram, PortContinuesWithItsNextRequestInTheSameCycle) {
  SharedSram sram(config(2, 8, 64, 1));
  sram.add_port("a", 16, 2);
  sram.requests(0).push(rd(0, 8, 1));
  sram.requests(0).push(rd(64, 8, 2));
  EXPECT_FALSE(sram.requests(0).can_push());
  sram.tick(0);
  sram.evaluate(1);
  EXPECT_FALSE(sram.requests(0).can_push());  // pops free slots next cycle
  sram.commit();
  EXPECT_TRUE(sram.requests(0).can_push());
  ASSERT_EQ(sram.deliveries(0).size(), 2u);
  EXPECT_TRUE(sram.deliveries(0)[0].last);
  EXPECT_TRUE(sram.deliveries(0)[1].last);
  EXPECT_EQ(sram.port_counters(0).requests, 2);
}

// Same traffic, clients acting in different orders within each cycle (before or after evaluate(),
// forwards or backwards): the deliveries and counters are identical.
TEST(SharedSram, ResultDoesNotDependOnTheOrderOfClientsWithinACycle) {
  auto simulate = [](int order) {
    SharedSram sram(config(4, 4, 16, 3));
    for (int p = 0; p < 3; ++p) sram.add_port("p" + std::to_string(p), 8, 3);
    std::vector<Seen> seen;
    uint64_t lcg = 12345;
    auto next = [&lcg](uint64_t mod) {
      lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
      return (lcg >> 33) % mod;
    };
    // The same request stream for every order: port p's k-th request is a function of (p, k).
    std::vector<uint64_t> issued(3, 0);
    auto client = [&](int p) {
      if (!sram.requests(p).can_push() || issued[size_t(p)] >= 20) return;
      lcg = 1000 * uint64_t(p) + issued[size_t(p)];
      const int64_t address = int64_t(next(4000));
      const int64_t bytes = int64_t(next(24)) + 1;
      const bool write = next(3) == 0;
      const uint64_t tag = 100 * uint64_t(p) + issued[size_t(p)]++;
      sram.requests(p).push(MemoryRequest{MemoryTarget::Sram, address, bytes, write, tag});
    };
    auto observe = [&](Cycle t) {
      for (int p = 0; p < 3; ++p)
        for (const MemoryDelivery& d : sram.deliveries(p))
          seen.push_back(Seen{t, p, d.tag, d.bytes, d.last});
    };
    for (Cycle t = 0; t < 1000; ++t) {
      if (order == 0) {
        observe(t);
        for (int p = 0; p < 3; ++p) client(p);
        sram.evaluate(t);
      } else if (order == 1) {
        sram.evaluate(t);
        for (int p = 2; p >= 0; --p) client(p);
        observe(t);
      } else {
        client(1);
        sram.evaluate(t);
        observe(t);
        client(2);
        client(0);
      }
      sram.commit();
    }
    EXPECT_TRUE(sram.idle());
    std::vector<int64_t> counters;
    for (int p = 0; p < 3; ++p) {
      const SharedSramPortCounters& c = sram.port_counters(p);
      counters.insert(counters.end(), {c.read_bytes, c.write_bytes, c.beats, c.requests,
                                       c.bank_conflict_stall_cycles, c.bank_width_stall_cycles,
                                       c.bank_conflict_limited_cycles, c.bank_width_limited_cycles});
    }
    return std::make_pair(seen, counters);
  };
  const auto a = simulate(0), b = simulate(1), c = simulate(2);
  EXPECT_EQ(a.second[3] + a.second[11] + a.second[19], 60);  // every request completed
  EXPECT_GT(a.second[4] + a.second[12] + a.second[20], 0);    // and there were conflicts
  EXPECT_EQ(a.first, b.first);
  EXPECT_EQ(a.first, c.first);
  EXPECT_EQ(a.second, b.second);
  EXPECT_EQ(a.second, c.second);
}

std::string invalid_argument_of(const SharedSramConfig& c) {
  try {
    SharedSram sram(c);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(SharedSram, RejectsBadParametersNamingThem) {
  SharedSramConfig c = config(0, 8, 64, 1);
  EXPECT_NE(invalid_argument_of(c).find("banks"), std::string::npos);
  c = config(2, 8, 48, 1);
  EXPECT_NE(invalid_argument_of(c).find("interleave_bytes"), std::string::npos);
  c = config(2, 8, 0, 1);
  EXPECT_NE(invalid_argument_of(c).find("interleave_bytes"), std::string::npos);
  c = config(2, 0, 64, 1);
  EXPECT_NE(invalid_argument_of(c).find("bytes_per_cycle_per_bank"), std::string::npos);
  c = config(2, 8, 64, 0);
  EXPECT_NE(invalid_argument_of(c).find("latency_cycles"), std::string::npos);
  c = config(2, 8, 64, 1);
  c.size_bytes = 0;
  EXPECT_NE(invalid_argument_of(c).find("size_bytes"), std::string::npos);

  SharedSram sram(config(2, 8, 64, 1));
  EXPECT_THROW(sram.add_port("x", 0, 2), std::invalid_argument);
  EXPECT_THROW(sram.add_port("x", 8, 0), std::invalid_argument);
}

// A request outside the SRAM (or empty) is a model bug, found when it reaches the head of its queue.
TEST(SharedSram, RequestOutsideTheSramIsALogicError) {
  SharedSram sram(config(2, 8, 64, 1));
  sram.add_port("a", 8, 2);
  sram.requests(0).push(rd((1 << 20) - 4, 8, 1));
  sram.tick(0);
  EXPECT_THROW(sram.tick(1), std::logic_error);

  SharedSram other(config(2, 8, 64, 1));
  other.add_port("a", 8, 2);
  other.requests(0).push(rd(0, 0, 1));
  other.tick(0);
  EXPECT_THROW(other.tick(1), std::logic_error);
}

}  // namespace
}  // namespace h4h::cyc
