#pragma once
// Pieces shared by the CIM's per-cycle processes: registered state, the items they pass, request
// tags, and the line-buffer arithmetic.
#include <cstdint>
#include <utility>

#include "sim/systemc/kernel/memory_request.h"

namespace h4h::cyc {

// A value written in one cycle and read from the next: get() returns what was set() before the last
// commit(), so readers in the same cycle see the same value whatever the order of the processes.
template <typename T>
class Registered {
 public:
  explicit Registered(T value = T{}) : current_(value), next_(value) {}
  const T& get() const { return current_; }
  void set(T value) { next_ = std::move(value); }
  void reset(T value) { current_ = next_ = value; }
  void commit() { current_ = next_; }

 private:
  T current_;
  T next_;
};

// One tile's partial sums for one position, from a macro to a compute unit.
struct PsumPacket {
  int64_t position = 0;
  int32_t tile = 0;     // index into CimRun::tiles
  int32_t outputs = 0;  // partial sums in the packet
};

// A compute unit has accumulated one packet into the output buffer entry of `position`.
struct PsumDone {
  int64_t position = 0;
};

// Request tags: the requester in the top 4 bits, its sequence number below.
enum class TagSource : uint64_t { InputRead = 1, OutputWrite = 2, WeightRead = 3 };
constexpr int kTagSourceShift = 60;
constexpr uint64_t kTagSeqMask = (uint64_t(1) << kTagSourceShift) - 1;
inline uint64_t make_tag(TagSource source, uint64_t seq) { return (uint64_t(source) << kTagSourceShift) | seq; }
inline TagSource tag_source(uint64_t tag) { return TagSource(tag >> kTagSourceShift); }
inline uint64_t tag_seq(uint64_t tag) { return tag & kTagSeqMask; }

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Bytes of a `total`-byte stream split evenly over `parts` in order that item `index` (0-based)
// needs: ceil((index + 1) * total / parts). 0 when total is 0.
inline int64_t prefix_needed(int64_t index, int64_t total, int64_t parts) {
  const __int128 n = (__int128)(index + 1) * total;
  return int64_t((n + parts - 1) / parts);
}

// A clocked process of the CIM. In each cycle every process's tick() runs once, in any order, then
// every commit(); processes see each other only through RegisteredQueues and Registered values.
class CimProcess {
 public:
  virtual ~CimProcess() = default;
  virtual void tick(Cycle now) = 0;
  virtual void commit() = 0;  // its Registered values (the queues are committed by their owner)
  // True when tick() would change nothing but stall counters until a memory delivery arrives or a
  // request is taken by the memory; skip(n) then adds the counters of n such ticks.
  virtual bool quiescent() const = 0;
  virtual void skip(int64_t cycles) = 0;
};

}  // namespace h4h::cyc
