#include "sim/systemc/units/systolic_executor.h"

#include <algorithm>
#include <cmath>

namespace h4h::cyc {

namespace {

bool same(const AddressFootprint& a, const AddressFootprint& b) {
  return a.lo == b.lo && a.hi == b.hi && a.distinct == b.distinct;
}

}  // namespace

int npu_sram_requests_in_flight(const NpuSpec& npu) {
  const double per_request = std::max(1, npu.sram_burst_bytes);
  return std::max(2, int(std::ceil(double(npu.sram_latency_cycles + 1) * npu.sram_bytes_per_cycle / per_request)) + 1);
}

SystolicExecutor::SystolicExecutor(const NpuSpec& npu, NpuPorts ports) : npu_(npu), ports_(std::move(ports)) {}

void SystolicExecutor::start(const SystolicCommand& command, ScalesimTraceWriter* trace) {
  command_ = command;
  trace_ = trace;
  repeat_ = 0;
  done_ = false;
  steps_ = stall_memory_ = stall_dma_ = macs_ = 0;
  folds_done_total_ = 0;
  begin_repeat();
  folds_total_ = wavefront_->folds() * std::max<int64_t>(1, command_.repeats);
}

void SystolicExecutor::begin_repeat() {
  wavefront_ = std::make_unique<SystolicWavefront>(command_.shape, SystolicArrayDims{npu_.array_rows, npu_.array_cols},
                                                   npu_.dataflow);
  for (Half& h : halves_) {
    h.fold = -1;
    h.ifmap.begin(MemoryTarget::Sram, 0, 0, false, 1, 1, 0);
    h.filter.begin(MemoryTarget::Sram, 0, 0, false, 1, 1, 0);
  }
  have_previous_ = false;
  next_load_ = 0;
  begin_load(0);
  if (wavefront_->folds() > 1) begin_load(1);
}

MemoryPortRef SystolicExecutor::filter_port() const {
  return command_.filter.memory == MemoryTarget::External ? ports_.external : ports_.sram;
}

void SystolicExecutor::begin_load(int64_t fold) {
  Half& h = halves_[fold % 2];
  h.fold = fold;
  next_load_ = fold + 1;
  const FoldFootprint fp = wavefront_->fold_footprint(fold);
  const int64_t eb = command_.element_bytes;
  const int64_t repeats = std::max<int64_t>(1, command_.repeats);
  auto base = [&](const TensorRef& t) { return t.address + t.bytes / repeats * repeat_; };
  auto clamp = [&](const TensorRef& t, int64_t lo_word, int64_t words, int64_t* at) {
    const int64_t per_repeat = std::max<int64_t>(1, t.bytes / repeats);
    const int64_t bytes = std::min(words * eb, per_repeat);
    *at = base(t) + std::min(lo_word * eb, per_repeat - bytes);
    return bytes;
  };
  int64_t at = 0;
  const bool keep_ifmap = have_previous_ && same(fp.ifmap, previous_footprint_.ifmap);
  const bool keep_filter = have_previous_ && same(fp.filter, previous_footprint_.filter);
  const int64_t ifmap_bytes = keep_ifmap ? 0 : clamp(command_.ifmap, fp.ifmap.lo, fp.ifmap.distinct, &at);
  h.ifmap.begin(MemoryTarget::Sram, at, ifmap_bytes, false, npu_.sram_burst_bytes, npu_sram_requests_in_flight(npu_),
                next_stream_id_++);
  const int64_t filter_bytes = keep_filter ? 0 : clamp(command_.filter, fp.filter.lo, fp.filter.distinct, &at);
  const bool external = command_.filter.memory == MemoryTarget::External;
  h.filter.begin(command_.filter.memory, at, filter_bytes, false,
                 external ? std::max<int64_t>(1, filter_bytes) : npu_.sram_burst_bytes,
                 external ? 1 : npu_sram_requests_in_flight(npu_), next_stream_id_++);
  previous_footprint_ = fp;
  have_previous_ = true;
}

bool SystolicExecutor::operands_ready(int64_t fold) const {
  const Half& h = halves_[fold % 2];
  return h.fold == fold && h.ifmap.complete() && h.filter.complete() && h.drained;
}

void SystolicExecutor::act(Cycle) {
  if (done_) return;
  // Loaders and drains move their bytes.
  for (Half& h : halves_) {
    h.ifmap.act(ports_.sram);
    h.filter.act(filter_port());
    if (!h.drained) h.ofmap.act(ports_.sram);
  }
  if (repeat_ >= std::max<int64_t>(1, command_.repeats)) {
    // Every repeat has run: the command ends when its last drains are accepted.
    done_ = halves_[0].drained && halves_[1].drained;
    return;
  }
  const int64_t next_cycle = wavefront_->cycle() + 1;
  const int64_t folds = wavefront_->folds();
  const int64_t fold = wavefront_->cycle() < 0 ? 0
                       : (wavefront_->fold() + 1 < folds && next_cycle >= wavefront_->fold_first_cycle(wavefront_->fold() + 1))
                           ? wavefront_->fold() + 1
                           : wavefront_->fold();
  const bool entering = wavefront_->cycle() < 0 || fold != wavefront_->fold();
  if (entering && !operands_ready(fold)) {
    const Half& h = halves_[fold % 2];
    const bool waits_filter = h.fold == fold && h.ifmap.complete() && h.drained && !h.filter.complete();
    if (waits_filter && command_.filter.memory == MemoryTarget::External)
      ++stall_dma_;
    else
      ++stall_memory_;
    return;
  }
  if (entering && fold + 1 < folds && next_load_ == fold + 1 && halves_[(fold + 1) % 2].fold == fold - 1) {
    // Fold fold - 1 has finished with the other half: load fold + 1 into it.
    begin_load(fold + 1);
  }
  wavefront_->step();
  ++steps_;
  if (trace_ && repeat_ == 0) trace_->append(*wavefront_);
  const int64_t f = wavefront_->fold();
  const bool last_of_fold = wavefront_->done() || (f + 1 < folds && wavefront_->cycle() + 1 >= wavefront_->fold_first_cycle(f + 1));
  if (last_of_fold) {
    Half& h = halves_[f % 2];
    const FoldFootprint fp = wavefront_->fold_footprint(f);
    const int64_t eb = command_.element_bytes;
    const int64_t repeats = std::max<int64_t>(1, command_.repeats);
    const int64_t per_repeat = std::max<int64_t>(1, command_.ofmap.bytes / repeats);
    const int64_t bytes = std::min(fp.ofmap.distinct * eb, per_repeat);
    const int64_t at = command_.ofmap.address + per_repeat * repeat_ + std::min(std::max<int64_t>(0, fp.ofmap.lo) * eb, per_repeat - bytes);
    h.ofmap.begin(MemoryTarget::Sram, at, bytes, true, npu_.sram_burst_bytes, npu_sram_requests_in_flight(npu_), next_stream_id_++);
    h.drained = h.ofmap.complete();
    ++folds_done_total_;
    macs_ = int64_t((__int128)command_.macs * folds_done_total_ / std::max<int64_t>(1, folds_total_));
  }
  if (wavefront_->done()) {
    if (trace_ && repeat_ == 0) {
      trace_->commit();
      trace_ = nullptr;
    }
    if (++repeat_ < std::max<int64_t>(1, command_.repeats)) begin_repeat();
  }
  // The command ends when its last repeat has run and every drain is accepted (checked in on_delivery).
  if (repeat_ >= std::max<int64_t>(1, command_.repeats) && halves_[0].drained && halves_[1].drained) done_ = true;
}

void SystolicExecutor::on_delivery(const MemoryDelivery& d, bool external) {
  for (Half& h : halves_) {
    if (external) {
      h.filter.on_delivery(d);
      continue;
    }
    h.ifmap.on_delivery(d);
    if (command_.filter.memory == MemoryTarget::Sram) h.filter.on_delivery(d);
    if (!h.drained) {
      h.ofmap.on_delivery(d);
      h.drained = h.ofmap.complete();
    }
  }
  if (repeat_ >= std::max<int64_t>(1, command_.repeats) && halves_[0].drained && halves_[1].drained) done_ = true;
}

void SystolicExecutor::add_to(TaskRecord* r) const {
  r->compute_cycles += steps_;
  r->stalls.memory += stall_memory_;
  r->stalls.dma += stall_dma_;
  r->actions.npu_macs += macs_;
}

}  // namespace h4h::cyc
