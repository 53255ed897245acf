// The CIM's analytical cost (unit_cost.h): tiling, bit-serial timing, compute units, SRAM traffic,
// and weight programming in rounds when the weights are not resident.
#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/core/cim_geometry.h"
#include "sim/estimate/unit_cost.h"

namespace h4h {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t transfer_cycles(int64_t bytes, double bytes_per_cycle) {
  return bytes > 0 ? int64_t(std::ceil(double(bytes) / bytes_per_cycle)) : 0;
}
// The part of `total` that items [from, to) of `n` carry (exact when differenced, as the simulator's plan).
int64_t portion(int64_t total, int64_t from, int64_t to, int64_t n) {
  if (n <= 0) return 0;
  return int64_t((__int128)total * to / n) - int64_t((__int128)total * from / n);
}

// Cycles to program `tiles` tiles whose weights + biases are `bytes` (unit_cost.h states the model).
int64_t programming_cycles(int64_t tiles, int64_t bytes, int64_t rows_used, const HardwareSpec& hw) {
  const CimSpec& cim = hw.cim;
  const int64_t write = rows_used * cim.mram_write_cycles_per_row;
  std::vector<int64_t> macro_free(size_t(std::max(1, cim.macros)), 0);
  int64_t end = 0;
  int64_t arrived = 0;
  for (int64_t t = 0; t < tiles; ++t) {
    arrived += bytes / tiles + (t < bytes % tiles ? 1 : 0);
    const int64_t ready = transfer_cycles(arrived, hw.external.bytes_per_cycle) + hw.external.latency_cycles;
    int64_t& free = macro_free[size_t(t % int64_t(macro_free.size()))];
    free = std::max(ready, free) + write;
    end = std::max(end, free);
  }
  return end;
}

}  // namespace

int64_t cim_stream_rounds(int64_t tiles, int64_t free_subarrays) {
  if (tiles <= 0) return 1;
  if (free_subarrays <= 0) return 0;
  return ceil_div(tiles, std::min(tiles, free_subarrays));
}

double cim_peak_macs_per_cycle(const HardwareSpec& hw, int activation_bits) {
  if (!hw.cim.present) return 0;
  const double passes = double(ceil_div(activation_bits, hw.cim.input_bits_per_cycle));
  return double(hw.cim.macros) * hw.cim.rows * (hw.cim.cols / hw.cim.weight_bits) / passes;
}

UnitCost cim_layer_cost(const Layer& l, const Precision& p, const HardwareSpec& hw, bool resident, int64_t free_subarrays) {
  UnitCost c;
  const CimSpec& cim = hw.cim;
  const CimTiling t = cim_tiling(l, cim);
  const LayerCounts counts = count_layer(l, p);
  const int64_t bit_passes = ceil_div(p.activation_bits, cim.input_bits_per_cycle);
  const int64_t cu_cycles = ceil_div(t.positions * t.partial_sums_per_position,
                                     int64_t(cim.compute_units) * cim.cu_outputs_per_cycle);
  const double sram_bw = std::min(cim.sram_bytes_per_cycle, hw.sram.total_bytes_per_cycle());
  const int64_t rounds = resident ? 1 : std::max<int64_t>(1, cim_stream_rounds(t.tiles, free_subarrays));
  const bool depthwise = l.op == OpKind::DepthwiseConv2d;
  const int64_t program_bytes = counts.weight_bytes + counts.bias_bytes;

  int64_t input_bytes = 0, done = 0;
  for (int64_t r = 0; r < rounds; ++r) {
    const int64_t tiles = t.tiles / rounds + (r < t.tiles % rounds ? 1 : 0);
    const int64_t from = done, to = done + tiles;
    done = to;
    auto part = [&](int64_t total) { return rounds == 1 ? total : portion(total, from, to, t.tiles); };
    // Each macro computes one of its tiles at a time; a round's tiles spread evenly over the macros.
    const int64_t macro_cycles = t.positions * ceil_div(tiles, cim.macros) * bit_passes;
    const int64_t compute = std::max(macro_cycles, part(cu_cycles)) + cim.pipeline_latency_cycles;
    const int64_t in = depthwise || rounds == 1 ? part(counts.input_bytes) : counts.input_bytes;
    const int64_t sram_cycles = transfer_cycles(in + part(counts.output_bytes), sram_bw);
    if (!resident) {
      c.programming_cycles += programming_cycles(tiles, part(program_bytes), t.rows_used, hw);
    }
    const int64_t round_compute = std::max(compute, sram_cycles) + (sram_cycles > 0 ? hw.sram.latency_cycles : 0);
    c.compute_cycles += compute;
    c.cycles += round_compute;
    input_bytes += in;
    // After the last byte of the last round: its latency, the last tile's write, the round's compute.
    if (!resident && r == rounds - 1)
      c.after_external_cycles = hw.external.latency_cycles + t.rows_used * cim.mram_write_cycles_per_row + round_compute;
  }
  c.cycles += c.programming_cycles;
  c.memory_stall = c.cycles - c.compute_cycles - c.programming_cycles;
  if (!resident) {
    c.external_rounds = rounds;
    c.external_window_cycles = transfer_cycles(ceil_div(program_bytes, rounds), hw.external.bytes_per_cycle);
    c.actions.external_read_bytes = program_bytes;
    c.actions.mram_write_bits = t.tiles * t.rows_used * cim.cols;
    c.actions.mram_read_bits = c.actions.mram_write_bits;  // read-back verify
  }
  c.actions.cim_macs = counts.macs;
  c.actions.cim_cu_ops = t.positions * t.partial_sums_per_position;
  c.actions.sram_read_bytes = input_bytes;
  c.actions.sram_write_bytes = counts.output_bytes;
  c.peak_macs_per_cycle = cim_peak_macs_per_cycle(hw, p.activation_bits);
  return c;
}

}  // namespace h4h
