#pragma once
// ByteStream: moves one byte range through a memory port (an SRAM port or a DMA channel) in
// request-sized pieces, in address order, with a bounded number of requests in flight, and counts
// what has arrived (reads) or been accepted (writes). The building block of the units' operand
// loaders and output drains.
//
// Contract: the owner calls act() once per cycle from one process (it pushes at most one request per
// cycle into the port's queue, when the queue has room and fewer than max_in_flight requests are
// outstanding) and passes every delivery of the port to on_delivery() (deliveries of other streams are
// ignored by tag). Tags: `stream_id` in the high 24 bits, the piece index in the low 40.
#include <cstdint>
#include <vector>

#include "sim/systemc/kernel/memory_request.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

struct MemoryPortRef {
  RegisteredQueue<MemoryRequest>* requests = nullptr;
  const std::vector<MemoryDelivery>* deliveries = nullptr;
};

class ByteStream {
 public:
  ByteStream() = default;
  // Starts moving [address, address + bytes) of `target`; bytes == 0 is complete at once.
  void begin(MemoryTarget target, int64_t address, int64_t bytes, bool write, int64_t request_bytes,
             int max_in_flight, uint32_t stream_id);
  // Grows the range to `bytes` (a stream produced as it goes, e.g. outputs step by step).
  void extend(int64_t bytes) { bytes_ = bytes > bytes_ ? bytes : bytes_; }
  void act(MemoryPortRef port);
  void on_delivery(const MemoryDelivery& d);
  // Bytes delivered (reads) or acknowledged (writes) so far.
  int64_t done_bytes() const { return done_; }
  int64_t total_bytes() const { return bytes_; }
  bool complete() const { return done_ >= bytes_; }
  bool all_issued() const { return issued_ >= bytes_; }
  int in_flight() const { return in_flight_; }
  static uint32_t stream_of(uint64_t tag) { return uint32_t(tag >> 40); }

 private:
  MemoryTarget target_ = MemoryTarget::Sram;
  int64_t address_ = 0, bytes_ = 0, request_bytes_ = 1;
  bool write_ = false;
  int max_in_flight_ = 1;
  uint32_t stream_id_ = 0;
  int64_t issued_ = 0, done_ = 0, pieces_ = 0;
  int in_flight_ = 0;
};

}  // namespace h4h::cyc
