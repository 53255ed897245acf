#pragma once
// VectorExecutor: a VectorCommand on the NPU's vector path, cycle by cycle. The operands stream in
// from the SRAM in order (each input's bytes in proportion to the elements done), `lanes` elements
// per step; a step takes cycles until its accumulated passes (one per cycle) reach `passes`; each
// finished step's outputs stream out to the SRAM. A step waits for its operand bytes; the command ends when
// its last output bytes are accepted. compute_cycles counts the cycles a step was in the lanes.
// A step that waits for its operands is a memory stall.
#include <vector>

#include "sim/systemc/units/byte_stream.h"
#include "sim/systemc/units/systolic_executor.h"

namespace h4h::cyc {

class VectorExecutor {
 public:
  VectorExecutor(const NpuSpec& npu, NpuPorts ports);
  void start(const VectorCommand& command);
  void act(Cycle now);
  void on_delivery(const MemoryDelivery& d);
  bool done() const { return done_; }
  void add_to(TaskRecord* record) const;

 private:
  int64_t input_bytes_needed(size_t input, int64_t elements) const;

  NpuSpec npu_;
  NpuPorts ports_;
  VectorCommand command_;
  std::vector<ByteStream> inputs_;
  ByteStream output_;
  int64_t steps_total_ = 0, step_ = 0;  // steps begun
  double pass_credit_ = 0;
  bool in_step_ = false;
  bool done_ = true;
  uint32_t next_stream_id_ = 1u << 20;
  int64_t busy_ = 0, stall_memory_ = 0, ops_ = 0;
};

}  // namespace h4h::cyc
