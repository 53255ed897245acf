#include "sim/estimate/unit_cost_cache.h"

#include <algorithm>
#include <cstring>

#include "sim/core/cim_geometry.h"

namespace h4h {

namespace {

uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

uint64_t mix_double(uint64_t h, double d) {
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  return mix(h, bits);
}

int64_t pack(const Shape& s) { return s.h | s.w << 16 | s.c << 32; }  // h, w <= 2^16, c <= 2^20 (workload limits)

// Unit: 0 npu, 1 cim resident, 1 + r cim streamed in r rounds. Fields are packed within the workload's limits
// (workload_json.h); shapes built in code beyond them still key correctly through the extra hash.
LayerGeometryKey make_key(const Layer& l, const Precision& p, int unit) {
  LayerGeometryKey k;
  int64_t* v = k.v;
  v[0] = int64_t(l.op) | int64_t(l.activation) << 8 | int64_t(l.padding) << 16 | int64_t(l.bias) << 24 | int64_t(unit) << 32;
  v[1] = pack(l.input);
  v[2] = pack(l.output);
  v[3] = l.out_channels | l.out_features << 32;
  v[4] = l.groups | int64_t(l.kernel_h) << 20 | int64_t(l.kernel_w) << 31 | int64_t(l.stride_h) << 42 | int64_t(l.stride_w) << 53;
  v[5] = l.m | l.k << 21 | l.n << 42;
  v[6] = l.batch | int64_t(p.weight_bits) << 20 | int64_t(p.activation_bits) << 28 | int64_t(p.bias_bits) << 36 |
         int64_t(l.extra_inputs.size()) << 44;
  v[7] = l.extra_inputs.empty() ? 0 : pack(l.extra_inputs[0]);
  const uint64_t order = uint64_t(l.perm[0]) | uint64_t(l.perm[1]) << 2 | uint64_t(l.perm[2]) << 4 | uint64_t(l.axis) << 6;
  v[8] = int64_t(uint64_t(pack(l.reshape_to)) | order << 52);  // pack fills bits 0..51
  uint64_t rest = 0;  // further concat operands
  for (size_t i = 1; i < l.extra_inputs.size(); ++i) rest = mix(rest, uint64_t(pack(l.extra_inputs[i])));
  v[9] = int64_t(rest);
  return k;
}

// True when every field fits its bits in make_key (always, for workloads within workload_json.h's limits).
bool packable(const Layer& l) {
  constexpr int64_t kDim = 1 << 16, kWide = 1 << 20;
  auto fits = [&](const Shape& s) { return s.h < kDim && s.w < kDim && s.c < kWide; };
  if (!fits(l.input) || !fits(l.output) || !fits(l.reshape_to)) return false;
  for (int x : {l.perm[0], l.perm[1], l.perm[2], l.axis})
    if (x < 0 || x > 2) return false;
  for (const Shape& s : l.extra_inputs)
    if (!fits(s)) return false;
  return l.out_channels < kWide && l.out_features < kWide && l.groups < kWide && l.m < kWide && l.k < kWide &&
         l.n < kWide && l.batch < kWide && l.kernel_h < 2048 && l.kernel_w < 2048 && l.stride_h < 2048 && l.stride_w < 512;
}

}  // namespace

bool LayerGeometryKey::operator==(const LayerGeometryKey& o) const { return std::memcmp(v, o.v, sizeof v) == 0; }

size_t LayerGeometryHash::operator()(const LayerGeometryKey& k) const {
  uint64_t h = 0x243f6a8885a308d3ULL;
  for (int64_t x : k.v) h = (h ^ uint64_t(x)) * 0x9e3779b97f4a7c15ULL;
  return size_t(h ^ (h >> 29));
}

uint64_t hardware_fingerprint(const HardwareSpec& hw) {
  uint64_t h = mix_double(0, hw.clock_mhz);
  const NpuSpec& n = hw.npu;
  h = mix(h, std::hash<std::string>()(n.engine));
  for (int64_t x : {int64_t(n.macs_per_cycle), int64_t(n.shram_kb), int64_t(n.array_rows),
                    int64_t(n.array_cols), int64_t(n.dataflow), int64_t(n.sram_burst_bytes), int64_t(n.sram_latency_cycles),
                    int64_t(n.external_latency_cycles)})
    h = mix(h, uint64_t(x));
  for (double x : {n.sram_bytes_per_cycle, n.external_bytes_per_cycle, n.softmax_passes, n.layernorm_passes,
                   n.lut_activation_passes})
    h = mix_double(h, x);
  const CimSpec& c = hw.cim;
  for (int64_t x : {int64_t(c.present), int64_t(c.macros), int64_t(c.compute_units), int64_t(c.rows), int64_t(c.cols),
                    int64_t(c.subarrays_per_macro), int64_t(c.weight_bits), int64_t(c.input_bits_per_cycle),
                    int64_t(c.cu_outputs_per_cycle), int64_t(c.pipeline_latency_cycles), int64_t(c.mram_write_cycles_per_row)})
    h = mix(h, uint64_t(x));
  h = mix_double(h, c.sram_bytes_per_cycle);
  h = mix(mix(mix(h, uint64_t(hw.sram.size_kb)), uint64_t(hw.sram.banks)), uint64_t(hw.sram.latency_cycles));
  h = mix_double(mix_double(h, hw.sram.bytes_per_cycle_per_bank), hw.external.bytes_per_cycle);
  h = mix(mix(mix(h, uint64_t(hw.external.latency_cycles)), uint64_t(hw.external.burst_bytes)),
          uint64_t(hw.external.max_outstanding));
  h = mix(h, std::hash<std::string>()(hw.external.kind));
  return h;
}

void UnitCostCache::reset_if_changed(uint64_t fp) {
  if (fp != fingerprint_) {
    costs_.clear();
    fingerprint_ = fp;
  }
}

const UnitCost& UnitCostCache::npu(const Layer& l, const Precision& p, const HardwareSpec& hw, uint64_t fp) {
  reset_if_changed(fp);
  if (!packable(l)) return uncached_ = npu_layer_cost(l, p, hw);
  auto [it, inserted] = costs_.try_emplace(make_key(l, p, 0));
  if (inserted) it->second = npu_layer_cost(l, p, hw);
  return it->second;
}

const UnitCost& UnitCostCache::cim(const Layer& l, const Precision& p, const HardwareSpec& hw, uint64_t fp, bool resident,
                                   int64_t free_subarrays) {
  reset_if_changed(fp);
  if (!packable(l)) return uncached_ = cim_layer_cost(l, p, hw, resident, free_subarrays);
  // The cost of a streamed part depends on the free sub-arrays only through its number of rounds.
  const int64_t rounds = resident ? 0 : std::max<int64_t>(1, cim_stream_rounds(cim_tiles(l, hw.cim), free_subarrays));
  if (rounds >= (int64_t(1) << 30)) return uncached_ = cim_layer_cost(l, p, hw, resident, free_subarrays);
  auto [it, inserted] = costs_.try_emplace(make_key(l, p, int(1 + rounds)));
  if (inserted) it->second = cim_layer_cost(l, p, hw, resident, free_subarrays);
  return it->second;
}

}  // namespace h4h
