// Systolic-array NPU engine: SCALE-Sim v2's compute cycles in closed form (no stalls).
// For an R x C array and a GEMM of operand sizes Sr x T and T x Sc:
//   folds = ceil(Sr / R) * ceil(Sc / C)
//   per fold: output-stationary R + C + T - 2; weight- and input-stationary 2R + C + T - 2
//   total = folds * per_fold - 1
// OS: Sr = output pixels, Sc = filters, T = window; WS: Sr = window, Sc = filters, T = output pixels;
// IS: Sr = window, Sc = output pixels, T = filters. (docs/hardware-sources.md)
// Grouped and depthwise convolutions run one group after another; matmul batches likewise.
// Ops without MACs run on a post-processing vector unit with one lane per array column.
// systolic_schedule replays the same cycles fold by fold (npu_model.h).
#include <algorithm>

#include <fmt/format.h>

#include "sim/engines/npu_engine_registry.h"
#include "sim/engines/systolic/systolic.h"

namespace h4h {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Folds of one GEMM-like fold sequence and the cycles of each (`per_fold`).
int64_t gemm_folds(int64_t pixels, int64_t filters, int64_t window, const NpuSpec& npu, int64_t* per_fold) {
  const int64_t R = npu.array_rows, C = npu.array_cols;
  int64_t sr = 0, sc = 0, t = 0, base = 0;
  switch (npu.dataflow) {
    case Dataflow::OutputStationary: sr = pixels, sc = filters, t = window, base = R + C - 2; break;
    case Dataflow::WeightStationary: sr = window, sc = filters, t = pixels, base = 2 * R + C - 2; break;
    case Dataflow::InputStationary: sr = window, sc = pixels, t = filters, base = 2 * R + C - 2; break;
  }
  *per_fold = base + t;
  return ceil_div(sr, R) * ceil_div(sc, C);
}

// Cycles of one GEMM-like fold sequence, without the final "- 1".
int64_t gemm_fold_cycles(int64_t pixels, int64_t filters, int64_t window, const NpuSpec& npu) {
  int64_t per_fold = 0;
  return gemm_folds(pixels, filters, window, npu, &per_fold) * per_fold;
}

}  // namespace

NpuComputeEstimate estimate_systolic(const Layer& l, const Precision& p, const NpuSpec& npu) {
  NpuComputeEstimate e;
  const LayerCounts counts = count_layer(l, p);
  e.ifm_read_bytes = bytes_for(l.input.elements(), p.activation_bits);
  e.ofm_write_bytes = counts.output_bytes;
  e.weight_read_bytes = counts.weight_bytes;
  e.scale_bias_bytes = counts.bias_bytes;
  int64_t cycles = 0;
  const int64_t pixels = l.output.h * l.output.w;
  switch (l.op) {
    case OpKind::Conv2d:
      cycles = l.groups * gemm_fold_cycles(pixels, l.out_channels / l.groups,
                                           int64_t(l.kernel_h) * l.kernel_w * (l.input.c / l.groups), npu) - 1;
      break;
    case OpKind::DepthwiseConv2d: {
      const int64_t multiplier = l.out_channels / l.input.c;
      cycles = l.input.c * gemm_fold_cycles(pixels, multiplier, int64_t(l.kernel_h) * l.kernel_w, npu) - 1;
      break;
    }
    case OpKind::Linear:
      cycles = gemm_fold_cycles(l.input.h * l.input.w, l.out_features, l.input.c, npu) - 1;
      break;
    case OpKind::Matmul:
      // The second operand is loaded into the array as the "weights"; it comes from SRAM.
      e.ifm2_read_bytes = bytes_for(l.batch * l.k * l.n, p.activation_bits);
      e.weight_read_bytes = 0;
      cycles = l.batch * gemm_fold_cycles(l.m, l.n, l.k, npu) - 1;
      break;
    default: {
      double passes = 1;
      if (l.op == OpKind::Softmax) passes = npu.softmax_passes;
      if (l.op == OpKind::LayerNorm) passes = npu.layernorm_passes;
      if (l.op == OpKind::Activation && l.activation != ActivationFn::Relu && l.activation != ActivationFn::Relu6)
        passes = npu.lut_activation_passes * (l.activation == ActivationFn::Swish ? 2 : 1);
      int64_t elements = std::max(counts.elementwise_ops, l.output.elements());
      if (l.op == OpKind::Reshape || l.op == OpKind::Concat || l.op == OpKind::Transpose) elements = l.output.elements();
      for (const Shape& s : l.extra_inputs) e.ifm2_read_bytes += bytes_for(s.elements(), p.activation_bits);
      if ((l.op == OpKind::Add || l.op == OpKind::Mul) && l.extra_inputs.empty()) e.ifm2_read_bytes = e.ifm_read_bytes;
      e.output_cycles = int64_t(double(ceil_div(elements, npu.array_cols)) * passes + 0.5);
      e.compute_cycles = e.output_cycles;
      return e;
    }
  }
  e.mac_cycles = std::max<int64_t>(cycles, 0);
  e.compute_cycles = e.mac_cycles;
  return e;
}

NpuSchedule systolic_schedule(const Layer& l, const Precision& p, const NpuSpec& npu) {
  NpuSchedule s;
  const NpuComputeEstimate e = estimate_systolic(l, p, npu);
  const int64_t pixels = l.output.h * l.output.w;
  int64_t groups = 1, folds = 0, per_fold = 0;
  auto gemm = [&](int64_t g, int64_t px, int64_t filters, int64_t window) {
    groups = g;
    folds = gemm_folds(px, filters, window, npu, &per_fold);
  };
  switch (l.op) {
    case OpKind::Conv2d:
      gemm(l.groups, pixels, l.out_channels / l.groups, int64_t(l.kernel_h) * l.kernel_w * (l.input.c / l.groups));
      break;
    case OpKind::DepthwiseConv2d:
      gemm(l.input.c, pixels, l.out_channels / l.input.c, int64_t(l.kernel_h) * l.kernel_w);
      break;
    case OpKind::Linear: gemm(1, l.input.h * l.input.w, l.out_features, l.input.c); break;
    case OpKind::Matmul: gemm(l.batch, l.m, l.n, l.k); break;
    default: break;
  }
  const int64_t ifm = e.ifm_read_bytes, ifm2 = e.ifm2_read_bytes, ofm = e.ofm_write_bytes, w = e.weight_read_bytes,
                sb = e.scale_bias_bytes;
  if (folds > 0 && groups > 0 && per_fold > 0) {
    // groups - 1 full fold sequences, then the last one whose final fold carries SCALE-Sim's "- 1".
    // Bytes go to the two ops in proportion to their folds.
    const int64_t total_folds = groups * folds;
    auto part = [&](int64_t bytes, int64_t op_folds) { return int64_t((__int128)bytes * op_folds / total_folds); };
    NpuOpSchedule last;
    last.blocks = folds;
    last.mac = StageCycles{per_fold - 1, folds - 1};
    if (groups > 1) {
      NpuOpSchedule rest;
      rest.blocks = folds;
      rest.repeats = groups - 1;
      rest.mac = StageCycles{per_fold, 0};
      const int64_t f = (groups - 1) * folds;
      rest.ifm_bytes = part(ifm, f), rest.ifm2_bytes = part(ifm2, f), rest.ofm_bytes = part(ofm, f);
      rest.weight_bytes = part(w, f), rest.scale_bias_bytes = part(sb, f);
      s.ops.push_back(rest);
      last.ifm_bytes = ifm - rest.ifm_bytes, last.ifm2_bytes = ifm2 - rest.ifm2_bytes, last.ofm_bytes = ofm - rest.ofm_bytes;
      last.weight_bytes = w - rest.weight_bytes, last.scale_bias_bytes = sb - rest.scale_bias_bytes;
    } else {
      last.ifm_bytes = ifm, last.ifm2_bytes = ifm2, last.ofm_bytes = ofm, last.weight_bytes = w, last.scale_bias_bytes = sb;
    }
    s.ops.push_back(last);
    return s;
  }
  // Vector unit: one block per array_rows x array_cols elements.
  const int64_t lanes = int64_t(npu.array_rows) * npu.array_cols;
  NpuOpSchedule op;
  op.blocks = std::max<int64_t>(1, ceil_div(std::max<int64_t>(l.output.elements(), 1), lanes));
  op.out = StageCycles{e.output_cycles / op.blocks, e.output_cycles % op.blocks};
  op.ifm_bytes = ifm, op.ifm2_bytes = ifm2, op.ofm_bytes = ofm, op.weight_bytes = w, op.scale_bias_bytes = sb;
  s.ops.push_back(op);
  return s;
}

namespace {

class SystolicEngine final : public INpuEngine {
 public:
  std::string name() const override { return "systolic"; }
  NpuComputeEstimate estimate(const Layer& l, const Precision& p, const NpuSpec& npu) const override {
    return estimate_systolic(l, p, npu);
  }
  NpuSchedule lower(const Layer& l, const Precision& p, const NpuSpec& npu) const override {
    return systolic_schedule(l, p, npu);
  }
  double peak_macs_per_cycle(const NpuSpec& npu) const override { return double(npu.array_rows) * npu.array_cols; }
  std::string describe(const NpuSpec& npu) const override {
    return fmt::format("systolic {}x{} ({})", npu.array_rows, npu.array_cols, dataflow_name(npu.dataflow));
  }
};

H4H_REGISTER_NPU_ENGINE(SystolicEngine);

}  // namespace

}  // namespace h4h
