#include "sim/blocksim/memory_target.h"

#include "sim/blocksim/sim_time.h"
#include "sim/blocksim/transfer.h"

namespace h4h::blocksim {

MemoryTarget::MemoryTarget(sc_core::sc_module_name name, const MemoryParams& params, Trace* trace)
    : sc_core::sc_module(name),
      socket("socket"),
      params_(params),
      banks_(params.banks * params.bytes_per_cycle_per_bank),
      trace_(trace) {
  socket.register_b_transport(this, &MemoryTarget::b_transport);
}

void MemoryTarget::b_transport(int port, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  TransferInfo* info = payload.get_extension<TransferInfo>();
  if (!info || port < 0 || size_t(port) >= ports_.size()) {
    payload.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);
    return;
  }
  const int64_t now = now_cycles();
  forget(now);
  const int64_t start = now + int64_t(delay.value() / 1000u);
  const double bytes = double(info->bytes);
  Port& p = *ports_[size_t(port)];
  BandwidthTimeline* alone[2] = {&p.alone_line, &p.alone_banks};
  BandwidthTimeline* shared[2] = {&p.line, &banks_};
  const bool read = payload.is_read();
  const int64_t alone_end = reserve(alone, 2, start, bytes);
  if (read) info->first_ready = reserve(shared, 2, start, double(info->granule), false) + params_.latency_cycles;
  const int64_t end = reserve(shared, 2, start, bytes);
  const int64_t ready = end + (read ? params_.latency_cycles : 0);
  info->contention_cycles = end > alone_end ? end - alone_end : 0;
  if (info->counts) {
    const bool sram = params_.kind == MemoryParams::Kind::Sram;
    int64_t& counter = sram ? (read ? info->counts->sram_read_bytes : info->counts->sram_write_bytes)
                            : (read ? info->counts->external_read_bytes : info->counts->external_write_bytes);
    counter += info->bytes;
  }
  delay = cycles(ready - now);
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

void MemoryTarget::forget(int64_t cycle) {
  std::function<void(int64_t, int64_t, double)> record;
  if (trace_) {
    record = [this](int64_t from, int64_t, double use) {
      const double per_bank = use / params_.banks;
      for (int b = 0; b < params_.banks; ++b)
        trace_->counters.push_back(TraceCounter{std::string(basename()) + ".bank" + std::to_string(b), from, per_bank});
    };
  }
  banks_.forget_before(cycle, record);
  for (auto& p : ports_) {
    p->line.forget_before(cycle);
    p->alone_line.forget_before(cycle);
    p->alone_banks.forget_before(cycle);
  }
}

void MemoryTarget::finish_trace() { forget(INT64_MAX - 1); }

}  // namespace h4h::blocksim
