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
    const int64_t ready = transfer_cycles(arrived, dma_bytes_per_cycle(hw, hw.external.bytes_per_cycle)) + hw.external.latency_cycles;
    int64_t& free = macro_free[size_t(t % int64_t(macro_free.size()))];
    free = std::max(ready, free) + write;
    end = std::max(end, free);
  }
  return end;
}

// Cycles of a round's pipeline (unit_cost.h states the model): `n` input vectors of in/n bytes
// read through the CIM's SRAM port (`bw` bytes/cycle, `latency` cycles) into the macros (`m`
// cycles each, `fill` once), their partial sums through the compute units (`cu` cycles in all)
// and their outputs (out/n bytes each) written back through the same port.
int64_t round_cycles(int64_t n, int64_t in, int64_t out, int64_t m, int64_t cu, int64_t fill, int64_t latency, double bw) {
  n = std::max<int64_t>(1, n);
  const double r = double(in) / double(n) / bw, w = double(out) / double(n) / bw;  // port cycles per vector
  const int64_t lat = in > 0 ? latency : 0;
  const int64_t r1 = int64_t(std::ceil(r)), w1 = int64_t(std::ceil(w)), c = ceil_div(cu, n);
  // The datapath alone: macros, then the last vector's compute-unit ops (or the units' own pace).
  const int64_t datapath = std::max(n * m + fill + c, m + fill + cu);
  const int64_t chain = r1 + lat + datapath + std::max<int64_t>(0, w1 - c);
  const double first_out = double(r1 + lat + m + fill);
  const double last_path = double(lat + m + std::max(c, w1) + (n == 1 ? fill : 0));
  // The port: its busy cycles, plus idling (a) after the input buffer's first reads while the first
  // vector is in the macros, (b) after the last read, while the last vector finishes, less the
  // writes of the vectors still in flight then: the buffer's, or those read in the last
  // latency + m cycles at the port's pace, plus one queued write.
  const int64_t buffer = in > 0 ? std::min(n, 2 + int64_t(std::ceil(double(latency) * bw / (double(in) / double(n))))) : n;
  const int64_t paced = r + w > 0 ? int64_t(std::floor(double(lat + m) / (r + w))) + 2 : n;
  const int64_t in_flight = std::min(n, std::max(paced, buffer));
  const double start_idle = buffer < n ? std::max(0.0, first_out - double(buffer) * r) : 0.0;
  const double port = double(transfer_cycles(in + out, bw)) + start_idle + std::max(0.0, last_path - double(in_flight) * w);
  const double bound = std::max({double(chain), port, first_out + double(transfer_cycles(out, bw)),
                                 double(transfer_cycles(in, bw)) + last_path});
  return int64_t(std::ceil(bound - 1e-9));
}

}  // namespace

int64_t cim_stream_rounds(int64_t tiles, int64_t free_subarrays) {
  if (tiles <= 0) return 1;
  if (free_subarrays <= 0) return 0;
  return ceil_div(tiles, std::min(tiles, free_subarrays));
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
    if (!resident) {
      c.programming_cycles += programming_cycles(tiles, part(program_bytes), t.rows_used, hw);
    }
    const int64_t round_compute =
        round_cycles(t.positions, in, part(counts.output_bytes), ceil_div(tiles, cim.macros) * bit_passes, part(cu_cycles),
                     cim.pipeline_latency_cycles, hw.sram.latency_cycles, sram_bw);
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
    c.external_window_cycles = transfer_cycles(ceil_div(program_bytes, rounds), dma_bytes_per_cycle(hw, hw.external.bytes_per_cycle));
    c.actions.external_read_bytes = program_bytes;
    c.actions.mram_write_bits = t.tiles * t.rows_used * cim.cols;
    c.actions.mram_read_bits = c.actions.mram_write_bits;  // read-back verify
  }
  c.actions.cim_macs = counts.macs;
  c.actions.cim_cu_ops = t.positions * t.partial_sums_per_position;
  c.actions.sram_read_bytes = input_bytes;
  c.actions.sram_write_bytes = counts.output_bytes;
  c.peak_macs_per_cycle = cim_peak_macs_per_cycle(hw.cim, p.activation_bits);
  return c;
}

}  // namespace h4h
