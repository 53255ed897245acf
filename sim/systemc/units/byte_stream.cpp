#include "sim/systemc/units/byte_stream.h"

#include <algorithm>

namespace h4h::cyc {

void ByteStream::begin(MemoryTarget target, int64_t address, int64_t bytes, bool write, int64_t request_bytes,
                       int max_in_flight, uint32_t stream_id) {
  target_ = target;
  address_ = address;
  bytes_ = std::max<int64_t>(0, bytes);
  write_ = write;
  request_bytes_ = std::max<int64_t>(1, request_bytes);
  max_in_flight_ = std::max(1, max_in_flight);
  stream_id_ = stream_id;
  issued_ = done_ = pieces_ = 0;
  in_flight_ = 0;
}

void ByteStream::act(MemoryPortRef port) {
  if (issued_ >= bytes_ || in_flight_ >= max_in_flight_ || !port.requests->can_push()) return;
  // Pieces end on request_bytes boundaries of the address space (aligned requests).
  const int64_t at = address_ + issued_;
  const int64_t n = std::min(bytes_ - issued_, request_bytes_ - at % request_bytes_);
  port.requests->push(MemoryRequest{target_, at, n, write_, (uint64_t(stream_id_) << 40) | uint64_t(pieces_++)});
  issued_ += n;
  ++in_flight_;
}

void ByteStream::on_delivery(const MemoryDelivery& d) {
  if (stream_of(d.tag) != stream_id_) return;
  done_ += d.bytes;
  if (d.last) --in_flight_;
}

}  // namespace h4h::cyc
