#include "sim/systemc/units/vector_executor.h"

#include <algorithm>
#include <cmath>

namespace h4h::cyc {

VectorExecutor::VectorExecutor(const NpuSpec& npu, NpuPorts ports) : npu_(npu), ports_(std::move(ports)) {}

void VectorExecutor::start(const VectorCommand& command) {
  command_ = command;
  const int64_t lanes = std::max(1, command_.lanes);
  steps_total_ = (command_.elements + lanes - 1) / lanes;
  step_ = 0;
  pass_credit_ = 0;
  in_step_ = false;
  busy_ = stall_memory_ = ops_ = 0;
  inputs_.assign(command_.inputs.size(), ByteStream{});
  for (size_t i = 0; i < inputs_.size(); ++i)
    inputs_[i].begin(MemoryTarget::Sram, command_.inputs[i].address, command_.inputs[i].bytes, false, npu_.sram_burst_bytes,
                     npu_sram_requests_in_flight(npu_), next_stream_id_++);
  output_.begin(MemoryTarget::Sram, command_.output.address, 0, true, npu_.sram_burst_bytes, npu_sram_requests_in_flight(npu_),
                next_stream_id_++);
  done_ = steps_total_ == 0;
}

int64_t VectorExecutor::input_bytes_needed(size_t i, int64_t elements) const {
  const int64_t total = command_.inputs[i].bytes;
  if (command_.elements <= 0) return 0;
  return int64_t((__int128)total * std::min(elements, command_.elements) / command_.elements);
}

void VectorExecutor::act(Cycle) {
  if (done_) return;
  for (ByteStream& s : inputs_) s.act(ports_.sram);
  output_.act(ports_.sram);
  const int64_t lanes = std::max(1, command_.lanes);
  if (!in_step_ && step_ < steps_total_) {
    const int64_t through = std::min(command_.elements, (step_ + 1) * lanes);
    bool ready = true;
    for (size_t i = 0; i < inputs_.size(); ++i) ready = ready && inputs_[i].done_bytes() >= input_bytes_needed(i, through);
    if (!ready) {
      ++stall_memory_;
      return;
    }
    in_step_ = true;
    pass_credit_ = 0;
  }
  if (in_step_) {
    ++busy_;
    pass_credit_ += 1;
    if (pass_credit_ + 1e-9 >= std::max(1e-9, command_.passes)) {
      in_step_ = false;
      const int64_t through = std::min(command_.elements, (step_ + 1) * lanes);
      ops_ += through - step_ * lanes;
      ++step_;
      // This step's outputs join the output stream.
      output_.extend(int64_t((__int128)command_.output.bytes * through / std::max<int64_t>(1, command_.elements)));
    }
  }
  if (step_ >= steps_total_ && !in_step_) {
    if (output_.complete()) done_ = true;
  }
}

void VectorExecutor::on_delivery(const MemoryDelivery& d) {
  for (ByteStream& s : inputs_) s.on_delivery(d);
  output_.on_delivery(d);
  if (step_ >= steps_total_ && !in_step_ && output_.complete())
    done_ = true;
}

void VectorExecutor::add_to(TaskRecord* r) const {
  r->compute_cycles += busy_;
  r->stalls.memory += stall_memory_;
  r->actions.npu_elementwise_ops += ops_;
}

}  // namespace h4h::cyc
