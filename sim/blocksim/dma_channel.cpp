#include "sim/blocksim/dma_channel.h"

#include <algorithm>

namespace h4h::blocksim {

DmaChannel::DmaChannel(sc_core::sc_module_name name, const std::string& track, int burst_bytes, int max_outstanding,
                       Trace* trace)
    : sc_core::sc_module(name),
      socket("socket"),
      burst_bytes_(std::max(1, burst_bytes)),
      in_flight_(size_t(std::max(1, max_outstanding)), 0),
      track_(track),
      trace_(trace) {
  SC_HAS_PROCESS(DmaChannel);
  SC_THREAD(run);
}

DmaHandle DmaChannel::start_read(int64_t bytes, int64_t issue, ActionCounts* counts, const std::string& label) {
  auto handle = std::make_shared<DmaTicket>();
  if (bytes <= 0) {
    handle->result.ready_cycle = handle->result.first_ready_cycle = std::max(issue, now_cycles());
    handle->first_known = handle->done = true;
    return handle;
  }
  queue_.push_back(Command{handle, bytes, std::max(issue, now_cycles()), counts, label});
  queued_.notify();
  return handle;
}

void DmaChannel::wait_first(const DmaHandle& h) {
  while (!h->first_known) sc_core::wait(issued_);
}

void DmaChannel::wait_done(const DmaHandle& h) {
  while (!h->done) sc_core::wait(issued_);
}

void DmaChannel::run() {
  for (;;) {
    while (queue_.empty()) sc_core::wait(queued_);
    const Command cmd = queue_.front();
    queue_.pop_front();
    TransferResult& done = cmd.handle->result;
    const int64_t first_issue = std::max({cmd.issue, now_cycles(), last_issue_});
    done.ready_cycle = done.first_ready_cycle = first_issue;
    int64_t alone_ready = 0;
    for (int64_t sent = 0; sent < cmd.bytes; sent += burst_bytes_) {
      const int64_t burst = std::min(burst_bytes_, cmd.bytes - sent);
      const int64_t at = std::max({first_issue, last_issue_, in_flight_[next_]});
      wait_until(at);  // the request reaches the memory when it is issued
      const TransferResult r = transfer(socket, tlm::TLM_READ_COMMAND, burst, at, cmd.counts);
      in_flight_[next_] = r.ready_cycle;
      next_ = (next_ + 1) % in_flight_.size();
      last_issue_ = at;
      done.ready_cycle = std::max(done.ready_cycle, r.ready_cycle);
      done.last_granule_bytes = burst;
      alone_ready = std::max(alone_ready, r.ready_cycle - r.contention_cycles);
      if (sent == 0) {
        done.first_ready_cycle = r.ready_cycle;
        cmd.handle->first_known = true;
        issued_.notify();
      }
    }
    done.contention_cycles = std::max<int64_t>(0, done.ready_cycle - alone_ready);
    cmd.handle->done = true;
    issued_.notify();
    if (trace_)
      trace_->spans.push_back(TraceSpan{track_, cmd.label, "dma", first_issue, done.ready_cycle,
                                        {{"bytes", double(cmd.bytes)}}});
  }
}

}  // namespace h4h::blocksim
