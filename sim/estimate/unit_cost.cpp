#include "sim/estimate/unit_cost.h"

#include <algorithm>
#include <cmath>

#include "sim/core/cim_geometry.h"
#include "sim/engines/npu_model.h"

namespace h4h {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t transfer_cycles(int64_t bytes, double bytes_per_cycle) {
  return bytes > 0 ? int64_t(std::ceil(double(bytes) / bytes_per_cycle)) : 0;
}

}  // namespace

UnitCost npu_layer_cost(const Layer& l, const Precision& p, const HardwareSpec& hw) {
  UnitCost c;
  const NpuComputeEstimate e = estimate_npu_compute(l, p, hw.npu);
  const LayerCounts counts = count_layer(l, p);
  c.compute_cycles = e.compute_cycles;
  const int64_t sram_read = e.ifm_read_bytes + e.ifm2_read_bytes;
  const int64_t external_read = e.weight_read_bytes + e.scale_bias_bytes;
  const int64_t sram_cycles = transfer_cycles(sram_read + e.ofm_write_bytes,
                                              std::min(hw.npu.sram_bytes_per_cycle, hw.sram.total_bytes_per_cycle()));
  const int64_t external_cycles =
      transfer_cycles(external_read, std::min(hw.npu.external_bytes_per_cycle, hw.external.bytes_per_cycle));
  int64_t latency = 0;
  if (sram_cycles > 0) latency = hw.sram.latency_cycles;
  if (external_cycles > 0) latency = std::max<int64_t>(latency, hw.external.latency_cycles);
  c.cycles = std::max({c.compute_cycles, sram_cycles, external_cycles}) + latency;
  c.memory_stall = c.cycles - c.compute_cycles;
  c.actions.npu_macs = counts.macs;
  c.actions.npu_elementwise_ops = counts.elementwise_ops + (is_mac_op(l.op) ? l.output.elements() : 0);
  c.actions.sram_read_bytes = sram_read;
  c.actions.sram_write_bytes = e.ofm_write_bytes;
  c.actions.external_read_bytes = external_read;
  c.peak_macs_per_cycle = hw.npu.engine == NpuEngine::EthosU55 ? hw.npu.macs_per_cycle
                                                                : double(hw.npu.array_rows) * hw.npu.array_cols;
  return c;
}

double cim_peak_macs_per_cycle(const HardwareSpec& hw, int activation_bits) {
  if (!hw.cim.present) return 0;
  const double passes = double(ceil_div(activation_bits, hw.cim.input_bits_per_cycle));
  return double(hw.cim.macros) * hw.cim.rows * (hw.cim.cols / hw.cim.weight_bits) / passes;
}

UnitCost cim_layer_cost(const Layer& l, const Precision& p, const HardwareSpec& hw, bool resident) {
  UnitCost c;
  const CimSpec& cim = hw.cim;
  const CimTiling t = cim_tiling(l, cim);
  const LayerCounts counts = count_layer(l, p);
  const int64_t bit_passes = ceil_div(p.activation_bits, cim.input_bits_per_cycle);
  // Each macro computes one of its tiles at a time; a layer's tiles spread evenly over the macros.
  const int64_t macro_cycles = t.positions * ceil_div(t.tiles, cim.macros) * bit_passes;
  const int64_t cu_cycles = ceil_div(t.positions * t.partial_sums_per_position,
                                     int64_t(cim.compute_units) * cim.cu_outputs_per_cycle);
  c.compute_cycles = std::max(macro_cycles, cu_cycles) + cim.pipeline_latency_cycles;

  const int64_t sram_cycles = transfer_cycles(counts.input_bytes + counts.output_bytes,
                                              std::min(cim.sram_bytes_per_cycle, hw.sram.total_bytes_per_cycle()));
  if (!resident) {
    const int64_t write_cycles = ceil_div(t.tiles, cim.macros) * t.rows_used * cim.mram_write_cycles_per_row;
    const int64_t fetch_bytes = counts.weight_bytes + counts.bias_bytes;
    const int64_t fetch_cycles = transfer_cycles(fetch_bytes, hw.external.bytes_per_cycle) + hw.external.latency_cycles;
    c.programming_cycles = std::max(write_cycles, fetch_cycles);
    c.actions.external_read_bytes = fetch_bytes;
    c.actions.mram_write_bits = t.tiles * t.rows_used * cim.cols;
    c.actions.mram_read_bits = c.actions.mram_write_bits;  // read-back verify
  }
  const int64_t latency = sram_cycles > 0 ? hw.sram.latency_cycles : 0;
  c.cycles = c.programming_cycles + std::max(c.compute_cycles, sram_cycles) + latency;
  c.memory_stall = c.cycles - c.compute_cycles - c.programming_cycles;
  c.actions.cim_macs = counts.macs;
  c.actions.cim_cu_ops = t.positions * t.partial_sums_per_position;
  c.actions.sram_read_bytes = counts.input_bytes;
  c.actions.sram_write_bytes = counts.output_bytes;
  c.peak_macs_per_cycle = cim_peak_macs_per_cycle(hw, p.activation_bits);
  return c;
}

}  // namespace h4h
