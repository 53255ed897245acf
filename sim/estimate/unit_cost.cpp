#include "sim/estimate/unit_cost.h"

#include <algorithm>
#include <cmath>

#include "sim/engines/npu_engine_registry.h"

namespace h4h {

namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t transfer_cycles(int64_t bytes, double bytes_per_cycle) {
  return bytes > 0 ? int64_t(std::ceil(double(bytes) / bytes_per_cycle)) : 0;
}

}  // namespace

double dma_bytes_per_cycle(const HardwareSpec& hw, double port_bytes_per_cycle) {
  const double rate = std::min(port_bytes_per_cycle, hw.external.bytes_per_cycle);
  const double burst = std::max(1, hw.external.burst_bytes);
  const double in_flight = double(std::max(1, hw.external.max_outstanding)) * burst;
  return std::min(rate, in_flight / (double(hw.external.latency_cycles) + burst / rate));
}

UnitCost npu_layer_cost(const Layer& l, const Precision& p, const HardwareSpec& hw) {
  UnitCost c;
  const INpuEngine& engine = npu_engine(hw.npu);
  const NpuComputeEstimate e = engine.estimate(l, p, hw.npu);
  const NpuSchedule schedule = engine.lower(l, p, hw.npu);
  const LayerCounts counts = count_layer(l, p);
  c.compute_cycles = e.compute_cycles;
  const double sram_bw = std::min(hw.npu.sram_bytes_per_cycle, hw.sram.total_bytes_per_cycle());
  const double external_bw = dma_bytes_per_cycle(hw, hw.npu.external_bytes_per_cycle);
  // The ops of a layer run one after another, each a two-stage pipeline (MAC engine, output unit)
  // over its blocks, fed by two streams: IFM (+ IFM2) from the SRAM in sram_burst_bytes granules,
  // weights + scale/bias from external memory in external.burst_bytes bursts. An op ends at the
  // later of (a) its compute after the first granules have arrived and (b) for each stream, its
  // transfer plus latency plus the drain after its last granule: the consuming stage's share of
  // that granule and, for MAC ops, the last block's output stage. Later ops' first data is fetched
  // while the previous op finishes, so only the first op pays the lead and the latencies.
  bool first_op = true;
  for (const NpuOpSchedule& op : schedule.ops) {
    const int64_t blocks = std::max<int64_t>(1, op.blocks * op.repeats);
    const int64_t mac_last = op.mac.at(op.blocks - 1), out_last = op.out.at(op.blocks - 1);
    const int64_t consumer = mac_last > 0 ? mac_last : out_last;
    const int64_t after_consumer = mac_last > 0 ? out_last : 0;
    auto drain = [&](int64_t stream_bytes, int64_t granule) -> int64_t {
      const int64_t block_bytes = share(stream_bytes, blocks, blocks - 1);
      if (block_bytes <= 0) return 0;
      const int64_t last_granule = block_bytes % granule == 0 ? granule : block_bytes % granule;
      return ceil_div(consumer * last_granule, block_bytes) + after_consumer;
    };
    const int64_t ifm = op.ifm_bytes + op.ifm2_bytes, weights = op.weight_bytes + op.scale_bias_bytes;
    const int64_t sram_cycles = transfer_cycles(ifm + op.ofm_bytes, sram_bw);
    const int64_t external_cycles = transfer_cycles(weights, external_bw);
    const int64_t sram_latency = first_op && sram_cycles > 0 ? hw.sram.latency_cycles : 0;
    const int64_t external_latency = first_op && external_cycles > 0 ? hw.external.latency_cycles : 0;
    int64_t lead = 0;
    if (first_op && ifm > 0)
      lead = sram_latency + transfer_cycles(std::min<int64_t>(ifm, hw.npu.sram_burst_bytes), sram_bw);
    if (first_op && weights > 0)
      lead = std::max(lead, external_latency + transfer_cycles(std::min<int64_t>(weights, hw.external.burst_bytes), external_bw));
    int64_t cycles = op.compute_cycles() + lead;
    if (sram_cycles > 0)
      cycles = std::max(cycles, sram_cycles + sram_latency + drain(ifm, std::max(1, hw.npu.sram_burst_bytes)));
    const int64_t external_tail = external_latency + drain(weights, std::max(1, hw.external.burst_bytes));
    if (external_cycles > 0) {
      cycles = std::max(cycles, external_cycles + external_tail);
      // The weights stream until the op's last burst: all of the op but the tail.
      c.external_window_cycles = c.cycles + std::max(external_cycles, cycles - external_tail);
    }
    c.cycles += cycles;
    first_op = false;
  }
  c.cycles = std::max(c.cycles, c.compute_cycles);
  if (c.external_window_cycles > 0) c.after_external_cycles = c.cycles - c.external_window_cycles;
  c.memory_stall = c.cycles - c.compute_cycles;
  c.actions.npu_macs = counts.macs;
  c.actions.npu_elementwise_ops = counts.elementwise_ops + (is_mac_op(l.op) ? l.output.elements() : 0);
  c.actions.sram_read_bytes = e.ifm_read_bytes + e.ifm2_read_bytes;
  c.actions.sram_write_bytes = e.ofm_write_bytes;
  c.actions.external_read_bytes = e.weight_read_bytes + e.scale_bias_bytes;
  c.peak_macs_per_cycle = engine.peak_macs_per_cycle(hw.npu);
  return c;
}

}  // namespace h4h
