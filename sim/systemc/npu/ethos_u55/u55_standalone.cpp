#include "sim/systemc/npu/ethos_u55/u55_standalone.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <stdexcept>

#include "sim/systemc/npu/ethos_u55/u55_datapath.h"

namespace h4h::cyc {
namespace {

// One memory target: requests in service (in order) and deliveries waiting for their cycle.
class PortModel {
 public:
  explicit PortModel(const U55MemoryPort& p) : port_(p) {}
  void accept(const MemoryRequest& r) { serving_.push_back(Pending{r, r.bytes}); }
  // Serves this cycle's bytes; completed requests become deliveries due at now + latency.
  void serve(Cycle now) {
    if (port_.bytes_per_cycle <= 0) {
      for (const Pending& p : serving_) due_.push_back(Due{now + port_.latency, p.request});
      serving_.clear();
      return;
    }
    if (serving_.empty()) {
      credit_ = 0;
      return;
    }
    credit_ += port_.bytes_per_cycle;
    while (!serving_.empty()) {
      Pending& p = serving_.front();
      const int64_t take = std::min<int64_t>(p.left, int64_t(credit_));
      p.left -= take;
      credit_ -= double(take);
      if (p.left > 0) break;
      due_.push_back(Due{now + port_.latency, p.request});
      serving_.pop_front();
    }
    if (serving_.empty()) credit_ = 0;
  }
  // Pushes the deliveries due by `now`; returns whether any was pushed.
  bool deliver(Cycle now, RegisteredQueue<MemoryDelivery>& q) {
    bool any = false;
    while (!due_.empty() && due_.front().cycle <= now && q.can_push()) {
      q.push(MemoryDelivery{due_.front().request.tag, due_.front().request.bytes, true});
      due_.pop_front();
      any = true;
    }
    return any;
  }
  bool serving() const { return !serving_.empty(); }
  Cycle next_due() const { return due_.empty() ? std::numeric_limits<Cycle>::max() : due_.front().cycle; }

 private:
  struct Pending {
    MemoryRequest request;
    int64_t left;
  };
  struct Due {
    Cycle cycle;
    MemoryRequest request;
  };
  U55MemoryPort port_;
  std::deque<Pending> serving_;
  std::deque<Due> due_;
  double credit_ = 0;
};

}  // namespace

U55Counters run_u55_standalone(const U55Command& command, const U55StandaloneMemory& memory, int64_t max_cycles) {
  EthosU55Datapath npu(64, 1 << 20);
  PortModel sram(memory.sram), external(memory.external);
  npu.start(command, 0);
  for (Cycle t = 0;; ++t) {
    if (t > max_cycles) throw std::runtime_error("run_u55_standalone: no progress within max_cycles");
    npu.tick(t);
    while (!npu.requests().empty()) {
      const MemoryRequest r = npu.requests().pop();
      (r.target == MemoryTarget::Sram ? sram : external).accept(r);
    }
    sram.serve(t);
    external.serve(t);
    const bool delivered = sram.deliver(t, npu.deliveries()) | external.deliver(t, npu.deliveries());
    npu.commit();
    if (!npu.busy()) break;
    // Nothing changes until the next delivery: skip to the cycle before it is pushed.
    if (!delivered && npu.waiting_on_memory() && !sram.serving() && !external.serving()) {
      const Cycle next = std::min(sram.next_due(), external.next_due());
      if (next == std::numeric_limits<Cycle>::max()) throw std::runtime_error("run_u55_standalone: deadlock");
      if (next > t + 1) {
        npu.skip_cycles(next - t - 1);
        t = next - 1;
      }
    }
  }
  return npu.counters();
}

int64_t u55_compute_cycles(const U55Command& command) { return run_u55_standalone(command).cycles(); }

}  // namespace h4h::cyc
