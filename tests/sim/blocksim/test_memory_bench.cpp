// The memories and the DMA channel on their own, in small SystemC benches (one per child process):
// hand-derived transfer times, bank arbitration one cycle before and at the limit, and the DMA's
// outstanding-burst limit.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include <tlm_utils/simple_initiator_socket.h>

#include "sim/blocksim/dma_channel.h"
#include "sim/blocksim/memory_target.h"
#include "tests/support/sim_child.h"

namespace h4h::blocksim {
namespace {

using nlohmann::json;

struct Request {
  int64_t issue = 0, bytes = 0;
  bool write = false;
};

// Issues its requests at their cycles and records when each completed.
class Driver : public sc_core::sc_module {
 public:
  tlm_utils::simple_initiator_socket<Driver> socket;
  std::vector<Request> requests;
  std::vector<TransferResult> results;
  ActionCounts counts;

  explicit Driver(sc_core::sc_module_name name) : sc_core::sc_module(name), socket("socket") {
    SC_HAS_PROCESS(Driver);
    SC_THREAD(run);
  }

 private:
  void run() {
    for (const Request& r : requests) {
      wait_until(r.issue);
      results.push_back(transfer(socket, r.write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, r.bytes, r.issue, &counts));
    }
  }
};

// One SRAM with `ports` drivers (8 bytes/cycle each); returns [[ready, contention], ...] per driver.
json sram_bench(int banks, double bank_bw, int latency, const std::vector<std::vector<Request>>& per_port) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  MemoryParams p;
  p.banks = banks;
  p.bytes_per_cycle_per_bank = bank_bw;
  p.latency_cycles = latency;
  auto* sram = new MemoryTarget("sram", p, nullptr);
  std::vector<Driver*> drivers;
  for (size_t i = 0; i < per_port.size(); ++i) {
    drivers.push_back(new Driver(("driver" + std::to_string(i)).c_str()));
    drivers.back()->requests = per_port[i];
    sram->bind_port(drivers.back()->socket, 8);
  }
  sc_core::sc_start();
  json out = json::array();
  for (Driver* d : drivers) {
    json port = json::array();
    for (const TransferResult& r : d->results) port.push_back({r.ready_cycle, r.contention_cycles});
    out.push_back({{"results", port}, {"read", d->counts.sram_read_bytes}, {"written", d->counts.sram_write_bytes}});
  }
  return out;
}

TEST(MemoryBench, SramTransferIsBytesOverPortBandwidthPlusLatency) {
  const json r = test::run_bench([] { return sram_bench(4, 8, 32, {{{0, 1000, false}, {0, 24, true}}}); });
  ASSERT_FALSE(r.contains("error")) << r;
  EXPECT_EQ(r[0]["results"][0][0], 125 + 32);  // 1000 bytes at the port's 8 bytes/cycle, then latency
  EXPECT_EQ(r[0]["results"][1][0], 128);       // a posted write right behind it: 3 more cycles
  EXPECT_EQ(r[0]["read"], 1000);
  EXPECT_EQ(r[0]["written"], 24);
}

TEST(MemoryBench, TwoPortsOnOneBankStallAsTheArbitrationSays) {
  // 800 bytes on each of two 8-byte/cycle ports at cycle 0. At the limit (bank 16 bytes/cycle)
  // both end at 100; one byte/cycle below it, the second served gets 7 bytes/cycle while the first
  // runs and ends at 100 + ceil(100 / 8) = 113: 13 cycles of bank conflict.
  for (double bank_bw : {16.0, 15.0}) {
    const json r = test::run_bench([&] { return sram_bench(1, bank_bw, 0, {{{0, 800, false}}, {{0, 800, false}}}); });
    ASSERT_FALSE(r.contains("error")) << r;
    std::vector<int64_t> ends = {r[0]["results"][0][0], r[1]["results"][0][0]};
    std::sort(ends.begin(), ends.end());
    const int64_t contention = r[0]["results"][0][1].get<int64_t>() + r[1]["results"][0][1].get<int64_t>();
    EXPECT_EQ(ends[0], 100) << bank_bw;
    EXPECT_EQ(ends[1], bank_bw == 16.0 ? 100 : 113) << bank_bw;
    EXPECT_EQ(contention, bank_bw == 16.0 ? 0 : 13) << bank_bw;
  }
}

TEST(MemoryBench, ASecondRequestOneCycleBeforeTheFirstEndsWaitsOneCycle) {
  for (int64_t issue : {99, 100}) {
    const json r = test::run_bench([&] { return sram_bench(1, 8, 32, {{{0, 800, false}}, {{issue, 800, false}}}); });
    ASSERT_FALSE(r.contains("error")) << r;
    EXPECT_EQ(r[0]["results"][0][0], 132);
    EXPECT_EQ(r[1]["results"][0][0], 232) << issue;
    EXPECT_EQ(r[1]["results"][0][1], issue == 99 ? 1 : 0) << issue;
  }
}

TEST(MemoryBench, RequestsAreStripedOverTheBanks) {
  // Three 8-byte/cycle ports on 2 banks of 8 bytes/cycle (16 together): two run at full rate, the
  // third waits for them.
  const json r = test::run_bench(
      [] { return sram_bench(2, 8, 0, {{{0, 800, false}}, {{0, 800, false}}, {{0, 800, false}}}); });
  ASSERT_FALSE(r.contains("error")) << r;
  std::vector<int64_t> ends;
  int64_t contention = 0;
  for (int i = 0; i < 3; ++i) ends.push_back(r[i]["results"][0][0]), contention += r[i]["results"][0][1].get<int64_t>();
  std::sort(ends.begin(), ends.end());
  EXPECT_EQ(ends, (std::vector<int64_t>{100, 100, 200}));
  EXPECT_EQ(contention, 100);
}

// Calls the DMA channel at cycle 0 from a thread.
class DmaDriver : public sc_core::sc_module {
 public:
  sc_core::sc_port<DmaIf> dma;
  int64_t bytes = 0;
  TransferResult result;
  ActionCounts counts;
  explicit DmaDriver(sc_core::sc_module_name name) : sc_core::sc_module(name), dma("dma") {
    SC_HAS_PROCESS(DmaDriver);
    SC_THREAD(run);
  }

 private:
  void run() { result = dma->read(bytes, 0, &counts, "test"); }
};

// A DMA channel with 128-byte bursts reading `bytes` from external memory at cycle 0.
json dma_bench(int64_t bytes, int latency, int outstanding, double port_bw, double memory_bw) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  MemoryParams p;
  p.kind = MemoryParams::Kind::External;
  p.bytes_per_cycle_per_bank = memory_bw;
  p.latency_cycles = latency;
  auto* flash = new MemoryTarget("flash", p, nullptr);
  auto* dma = new DmaChannel("dma", "dma.test", 128, outstanding, nullptr);
  flash->bind_port(dma->socket, port_bw);
  auto* driver = new DmaDriver("driver");
  driver->bytes = bytes;
  driver->dma.bind(*dma);
  sc_core::sc_start();
  const TransferResult& r = driver->result;
  return json{{"ready", r.ready_cycle}, {"first", r.first_ready_cycle}, {"bytes", driver->counts.external_read_bytes}};
}

TEST(MemoryBench, DmaTransferIsBytesOverBandwidthPlusLatencyWhenEnoughBurstsAreInFlight) {
  const json r = test::run_bench([] { return dma_bench(1280, 64, 8, 8, 1); });
  ASSERT_FALSE(r.contains("error")) << r;
  EXPECT_EQ(r["ready"], 1280 + 64);
  EXPECT_EQ(r["first"], 128 + 64);
  EXPECT_EQ(r["bytes"], 1280);
  // The AXI port, not the memory, limits when the memory is faster.
  EXPECT_EQ(test::run_bench([] { return dma_bench(1280, 64, 8, 8, 16); })["ready"], 160 + 64);
  // One burst in flight: every 128-byte burst waits out the latency.
  EXPECT_EQ(test::run_bench([] { return dma_bench(1280, 64, 1, 8, 1); })["ready"], 10 * (128 + 64));
}

TEST(MemoryBench, TwoOutstandingBurstsHideTheLatencyUpToOneBurstTime) {
  // With 2 bursts in flight, burst k+2 is issued when burst k arrives: the latency is hidden while
  // it is at most one burst's transfer (128 cycles). At 128: bytes / bandwidth + latency. At 129
  // the flash idles one cycle before every second burst from the third on: 4 cycles over 10 bursts.
  EXPECT_EQ(test::run_bench([] { return dma_bench(1280, 128, 2, 8, 1); })["ready"], 1280 + 128);
  EXPECT_EQ(test::run_bench([] { return dma_bench(1280, 129, 2, 8, 1); })["ready"], 1280 + 129 + 4);
}

}  // namespace
}  // namespace h4h::blocksim

namespace h4h::blocksim {
namespace {

// Two DMA channels (8 bursts of 128 bytes in flight each) reading `bytes` each from one 1 byte/cycle
// memory from cycle 0; returns when each finished.
json two_dma_bench(int64_t bytes) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  MemoryParams p;
  p.kind = MemoryParams::Kind::External;
  p.bytes_per_cycle_per_bank = 1;
  p.latency_cycles = 64;
  auto* flash = new MemoryTarget("flash", p, nullptr);
  json out = json::array();
  std::vector<DmaDriver*> drivers;
  for (int i = 0; i < 2; ++i) {
    auto* dma = new DmaChannel(("dma" + std::to_string(i)).c_str(), "dma.test", 128, 8, nullptr);
    flash->bind_port(dma->socket, 8);
    drivers.push_back(new DmaDriver(("driver" + std::to_string(i)).c_str()));
    drivers.back()->bytes = bytes;
    drivers.back()->dma.bind(*dma);
  }
  sc_core::sc_start();
  for (DmaDriver* d : drivers) out.push_back(d->result.ready_cycle);
  return out;
}

TEST(MemoryBench, TwoDmaChannelsInterleaveTheirBursts) {
  // The memory serves bursts in issue order and each channel issues a burst when one of its own
  // completes, so the two alternate: both finish near the end of the 2 x 12800 bytes, the first at
  // most one in-flight window (8 bursts) before the other, not after its own 12800 bytes alone.
  const json r = test::run_bench([] { return two_dma_bench(12800); });
  ASSERT_FALSE(r.contains("error")) << r;
  const int64_t a = r[0].get<int64_t>(), b = r[1].get<int64_t>();
  EXPECT_EQ(std::max(a, b), 2 * 12800 + 64);  // the memory never idles
  EXPECT_GE(std::min(a, b), 2 * 12800 + 64 - 8 * 128);
}

}  // namespace
}  // namespace h4h::blocksim
