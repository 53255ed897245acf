#pragma once
// A bench for the CIM accelerator without SystemC: fixed-latency, fixed-bandwidth memories on its
// SRAM and DMA ports. For unit tests and quick experiments; the real memories are the SystemC models'.
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <stdexcept>

#include "sim/systemc/cim/cim_accelerator.h"

namespace h4h::cyc {

// Serves requests in arrival order. In cycle t it takes every request visible in the port's queue,
// then moves up to bytes_per_cycle bytes (0: unlimited) of the oldest requests; bytes moved in cycle
// t are delivered in cycle t + latency (seen by the accelerator from t + latency + 1). A read delivers
// its bytes as they move; a write is accepted with one delivery when its last byte has moved.
// So with latency 0 and unlimited bandwidth a request pushed in cycle t is delivered in t + 1.
class BenchMemory {
 public:
  BenchMemory(int64_t latency = 0, int64_t bytes_per_cycle = 0) : latency_(latency), bandwidth_(bytes_per_cycle) {}

  void tick(Cycle now, RegisteredQueue<MemoryRequest>& port, const std::function<void(const MemoryDelivery&)>& deliver) {
    while (!port.empty()) queue_.push_back(Pending{port.pop(), 0});
    int64_t budget = bandwidth_ > 0 ? bandwidth_ : std::numeric_limits<int64_t>::max();
    while (budget > 0 && !queue_.empty()) {
      Pending& p = queue_.front();
      const int64_t moved = std::min(budget, p.request.bytes - p.moved);
      p.moved += moved;
      budget -= moved;
      const bool last = p.moved == p.request.bytes;
      if (!p.request.write || last)
        in_flight_.push_back({now + latency_, MemoryDelivery{p.request.tag, p.request.write ? p.request.bytes : moved, last}});
      if (last) queue_.pop_front();
    }
    while (!in_flight_.empty() && in_flight_.front().due <= now) {
      deliver(in_flight_.front().delivery);
      in_flight_.pop_front();
    }
  }
  // The next cycle in which it acts on its own (max when it only waits for requests).
  Cycle next_event(Cycle now, const RegisteredQueue<MemoryRequest>& port) const {
    if (!port.idle() || !queue_.empty()) return now + 1;
    return in_flight_.empty() ? std::numeric_limits<Cycle>::max() : std::max(now + 1, in_flight_.front().due);
  }

 private:
  struct Pending {
    MemoryRequest request;
    int64_t moved = 0;
  };
  struct Due {
    Cycle due;
    MemoryDelivery delivery;
  };
  int64_t latency_, bandwidth_;
  std::deque<Pending> queue_;
  std::deque<Due> in_flight_;
};

struct CimBench {
  explicit CimBench(CimAccelerator& accelerator, BenchMemory sram_memory = {}, BenchMemory dma_memory = {})
      : cim(accelerator), sram(sram_memory), dma(dma_memory) {}

  CimAccelerator& cim;
  BenchMemory sram, dma;
  Cycle now = 0;
  bool skip_idle = false;     // skip cycles in which nothing can change (CimAccelerator::skip)
  int64_t skipped = 0;        // cycles skipped so far
  bool memory_first = false;  // tick the memories before the accelerator in each cycle
  std::function<void(Cycle)> before_tick;  // e.g. to change the tick order

  void step() {
    if (before_tick) before_tick(now);
    auto memories = [&] {
      sram.tick(now, cim.sram_requests(), [&](const MemoryDelivery& d) { cim.deliver_sram(d); });
      dma.tick(now, cim.dma_requests(), [&](const MemoryDelivery& d) { cim.deliver_dma(d); });
    };
    if (memory_first) memories();
    cim.tick(now);
    if (!memory_first) memories();
    cim.commit(now);
    ++now;
    if (skip_idle && cim.quiescent() && !cim.ready()) {
      const Cycle next = std::min(sram.next_event(now - 1, cim.sram_requests()), dma.next_event(now - 1, cim.dma_requests()));
      if (next == std::numeric_limits<Cycle>::max()) throw std::logic_error("CimBench: deadlock");
      if (next > now) {
        cim.skip(now, next - now);
        skipped += next - now;
        now = next;
      }
    }
  }
  // Submits `command` and runs until it has finished; returns its record.
  const CimCommandRecord& run(CimCommand command, Cycle limit = 10'000'000) {
    cim.submit(std::move(command));
    while (!cim.ready()) {
      if (now >= limit) throw std::runtime_error("CimBench: command did not finish");
      step();
    }
    return cim.records().back();
  }
};

}  // namespace h4h::cyc
