#pragma once
// Timing-only TLM-2.0 transfers between the units, the DMA channels and the memories.
//
// Contract:
//  - An initiator sends a tlm_generic_payload (READ or WRITE) carrying a TransferInfo extension
//    with the byte count (64-bit; the payload's data pointer is never dereferenced: no data moves,
//    only time) and the ActionCounts of the layer part it works for; the memory adds the bytes to
//    those counts (sram_read/write_bytes or external_read/write_bytes).
//  - Blocking transport with an annotated delay (loosely timed): on call, `delay` is how far past
//    the current time the request is issued; on return, how far past the current time its data has
//    arrived (reads) or has been accepted (writes). The caller waits only when it needs the data.
//  - The memory also reports `contention_cycles`: how much later the transfer ended than it would
//    have without the other initiators' traffic (used to split stalls into memory / bank_conflict),
//    and for reads when the first `granule` bytes arrived (stages consume data as it streams in).
#include <cstdint>
#include <ostream>

#include <tlm>

#include "sim/core/energy.h"
#include "sim/blocksim/sim_time.h"

namespace h4h::blocksim {

struct TransferInfo : tlm::tlm_extension<TransferInfo> {
  int64_t bytes = 0;
  int64_t granule = 0;  // reads: also report when the first `granule` bytes have arrived
  ActionCounts* counts = nullptr;
  int64_t contention_cycles = 0;  // out
  int64_t first_ready = 0;        // out: cycle the first granule has arrived (reads)

  tlm::tlm_extension_base* clone() const override { return new TransferInfo(*this); }
  void copy_from(const tlm::tlm_extension_base& other) override { *this = static_cast<const TransferInfo&>(other); }
};

struct TransferResult {
  int64_t ready_cycle = 0;        // the last byte has arrived / been accepted
  int64_t contention_cycles = 0;
  int64_t first_ready_cycle = 0;  // the first granule (a DMA: its first burst) has arrived
  int64_t last_granule_bytes = 0; // bytes of the final granule (burst)
};

// Data a pipeline stage consumes progressively, granule by granule: the first granule arrives at
// `first`, the last at `last`; `contention` of those cycles were caused by other initiators.
// bytes == 0: nothing to wait for.
struct DataToken {
  int64_t first = 0, last = 0, contention = 0;
  int64_t bytes = 0, granule = 0;
};
inline std::ostream& operator<<(std::ostream& os, const DataToken& t) { return os << t.last; }
inline DataToken ready_token(int64_t cycle) { return DataToken{cycle, cycle, 0, 0, 0}; }
inline DataToken token_of(const TransferResult& r, int64_t bytes, bool count_contention = true) {
  return DataToken{r.first_ready_cycle, r.ready_cycle, count_contention ? r.contention_cycles : 0, bytes,
                   r.last_granule_bytes};
}

// Issues one transfer at cycle `issue` (>= now) through `socket` and returns when it completes.
template <typename Socket>
TransferResult transfer(Socket& socket, tlm::tlm_command command, int64_t bytes, int64_t issue, ActionCounts* counts,
                        int64_t granule = 0) {
  static unsigned char no_data = 0;
  TransferInfo info;
  info.bytes = bytes;
  info.granule = granule > 0 && granule < bytes ? granule : bytes;
  info.counts = counts;
  tlm::tlm_generic_payload payload;
  payload.set_command(command);
  payload.set_address(0);
  payload.set_data_ptr(&no_data);
  payload.set_data_length(1);
  payload.set_streaming_width(1);
  payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  payload.set_extension(&info);
  const int64_t now = now_cycles();
  sc_core::sc_time delay = cycles(issue - now);
  socket->b_transport(payload, delay);
  payload.clear_extension(&info);
  TransferResult r;
  r.ready_cycle = now + int64_t(delay.value() / 1000u);
  r.contention_cycles = info.contention_cycles;
  r.first_ready_cycle = command == tlm::TLM_READ_COMMAND ? info.first_ready : r.ready_cycle;
  r.last_granule_bytes = bytes % info.granule == 0 ? info.granule : bytes % info.granule;
  return r;
}

}  // namespace h4h::blocksim
