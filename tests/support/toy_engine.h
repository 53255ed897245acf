#pragma once
// A third NPU engine that lives only in the tests: registering it (H4H_REGISTER_NPU_ENGINE in a test
// source) must be all it takes for `npu.engine: toy-scalar` to estimate and simulate.
#include "sim/engines/i_npu_engine.h"

namespace h4h::test {

// A scalar MAC unit: one MAC per cycle, one cycle per output element for ops without MACs, each
// layer one command of one block. Bytes: every operand read once, the output written once.
class ToyScalarEngine final : public INpuEngine {
 public:
  std::string name() const override { return "toy-scalar"; }
  NpuComputeEstimate estimate(const Layer& l, const Precision& p, const NpuSpec& npu) const override {
    NpuComputeEstimate e;
    const LayerCounts counts = count_layer(l, p);
    e.mac_cycles = counts.macs;
    e.output_cycles = counts.macs > 0 ? 0 : l.output.elements();
    e.compute_cycles = e.mac_cycles + e.output_cycles;
    e.ifm_read_bytes = counts.input_bytes;
    e.ofm_write_bytes = counts.output_bytes;
    e.weight_read_bytes = counts.weight_bytes;
    return e;
  }
  NpuSchedule lower(const Layer& l, const Precision& p, const NpuSpec& npu) const override {
    const NpuComputeEstimate e = estimate(l, p, npu);
    NpuSchedule s;
    NpuOpSchedule op;
    op.blocks = 1;
    op.mac = StageCycles{e.mac_cycles, 0};
    op.out = StageCycles{e.output_cycles, 0};
    op.ifm_bytes = e.ifm_read_bytes, op.ofm_bytes = e.ofm_write_bytes, op.weight_bytes = e.weight_read_bytes;
    s.ops.push_back(op);
    return s;
  }
  double peak_macs_per_cycle(const NpuSpec&) const override { return 1; }
  std::string describe(const NpuSpec&) const override { return "toy-scalar, 1 MAC/cycle"; }
};

}  // namespace h4h::test
