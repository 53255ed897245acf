#include "sim/systemc/dma_channel.h"

#include <algorithm>

namespace h4h::sc {

DmaChannel::DmaChannel(sc_core::sc_module_name name, const std::string& track, int burst_bytes, int max_outstanding,
                       Trace* trace)
    : sc_core::sc_module(name),
      socket("socket"),
      burst_bytes_(std::max(1, burst_bytes)),
      in_flight_(size_t(std::max(1, max_outstanding)), 0),
      track_(track),
      trace_(trace) {}

TransferResult DmaChannel::read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) {
  TransferResult done;
  done.ready_cycle = done.first_ready_cycle = std::max(issue, now_cycles());
  if (bytes <= 0) return done;
  const int64_t first_issue = std::max({issue, now_cycles(), last_issue_});
  int64_t alone_ready = 0;
  for (int64_t sent = 0; sent < bytes; sent += burst_bytes_) {
    const int64_t burst = std::min(burst_bytes_, bytes - sent);
    const int64_t at = std::max({first_issue, last_issue_, in_flight_[next_]});
    const TransferResult r = transfer(socket, tlm::TLM_READ_COMMAND, burst, at, counts);
    in_flight_[next_] = r.ready_cycle;
    next_ = (next_ + 1) % in_flight_.size();
    last_issue_ = at;
    if (sent == 0) done.first_ready_cycle = r.ready_cycle;
    done.ready_cycle = std::max(done.ready_cycle, r.ready_cycle);
    done.last_granule_bytes = burst;
    alone_ready = std::max(alone_ready, r.ready_cycle - r.contention_cycles);
  }
  done.contention_cycles = std::max<int64_t>(0, done.ready_cycle - alone_ready);
  if (trace_)
    trace_->spans.push_back(TraceSpan{track_, label, "dma", first_issue, done.ready_cycle,
                                      {{"bytes", double(bytes)}}});
  return done;
}

}  // namespace h4h::sc
