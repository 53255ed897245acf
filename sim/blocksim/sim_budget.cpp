// Predicted simulation work (mirrors sim_plan.cpp, npu_unit.cpp, cim_unit.cpp, dma_channel.cpp and
// memory_target.cpp) and the limits on it.
#include "sim/blocksim/sim_budget.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "sim/core/cim_geometry.h"
#include "sim/core/error.h"
#include "sim/engines/npu_engine_registry.h"
#include "sim/blocksim/sim_plan.h"

namespace h4h {

namespace {

// Memory of the simulator process, in bytes: sizes of the structures plus allocator overhead,
// fitted to the peak resident sizes measured in sim_budget.h (predictions 1.0-1.7x those).
constexpr double kBaseMemory = 48e6;        // the h4h process it is forked from, SystemC, the modules
constexpr double kBlockMemory = 130;        // NpuUnit::Block (72 bytes) of the largest NPU part,
                                            // with the earlier parts' freed vectors (measured)
constexpr double kTileMemory = 8;           // tile_macro entry of the plan, every CIM tile
constexpr double kProgrammedTileMemory = 200;  // DMA ticket + queued command, largest CIM round
constexpr double kPartMemory = 600;         // PartJob + PartRecord + controller bookkeeping
// A recorded trace: each span or counter held as a record, as a JSON value while it is written,
// and as text (the text is also copied into the child's reply and read back by the parent).
constexpr double kTraceRecordBytes = 80;    // Chrome JSON text per span or counter
constexpr double kTraceRecordMemory = 900;  // process memory per span or counter at the peak

// Events per unit of simulated work, in proportion to the wall time each took in the measurements
// (sim_budget.h): an external-memory burst (a DMA wait and a TLM transfer) or a programmed CIM tile
// about 1 us, an NPU block (four pipeline threads, two SRAM transfers) about 2 us, a CIM chunk
// (three threads, two SRAM transfers, delta-cycle notifications) about 4 us.
constexpr int64_t kBurstEvents = 1, kTileEvents = 1, kBlockEvents = 2, kChunkEvents = 4;

int64_t ceil_div(int64_t a, int64_t b) { return b > 0 ? (a + b - 1) / b : 0; }

// `total` spread over `parts` with share() (npu_model.h): how many parts get a non-zero share.
int64_t nonzero_shares(int64_t total, int64_t parts) {
  if (total <= 0 || parts <= 0) return 0;
  return total >= parts ? parts : total;
}

// `total` bytes spread over `parts` transfers with share(), each cut into bursts of `burst` bytes.
int64_t shared_bursts(int64_t total, int64_t parts, int64_t burst) {
  if (total <= 0 || parts <= 0) return 0;
  const int64_t q = total / parts, r = total % parts;
  return r * ceil_div(q + 1, burst) + (parts - r) * ceil_div(q, burst);
}

double safe_div(double bytes, double per_cycle) { return per_cycle > 0 ? bytes / per_cycle : 0; }

struct PartWork {
  int64_t events = 0;
  double cycles = 0;
};

PartWork add_npu_part(const Layer& part, const Workload& w, const HardwareSpec& hw, SimWork& s, double& peak_blocks) {
  PartWork out;
  const NpuSchedule sched = npu_engine(hw.npu).lower(part, w.precision, hw.npu);
  if (!sched.supported) return out;
  double compute = 0, sram_bytes = 0, external_bytes = 0;
  int64_t blocks = 0;
  for (const NpuOpSchedule& op : sched.ops) {
    const int64_t n = op.blocks * op.repeats;
    const int64_t weights = op.weight_bytes + op.scale_bias_bytes;
    blocks += n;
    s.npu_commands += op.repeats;
    s.dma_commands += nonzero_shares(weights, n);
    const int64_t bursts = shared_bursts(weights, n, hw.external.burst_bytes);
    s.dma_bursts += bursts;
    out.events += kBurstEvents * bursts;
    s.sram_transfers += nonzero_shares(op.ifm_bytes + op.ifm2_bytes, n) + nonzero_shares(op.ofm_bytes, n);
    // A command is a two-stage pipeline: at least the larger stage's sum.
    compute += double(op.repeats) * std::max(double(op.mac.base) * double(op.blocks) + double(op.mac.extra),
                                             double(op.out.base) * double(op.blocks) + double(op.out.extra));
    sram_bytes += double(op.ifm_bytes + op.ifm2_bytes + op.ofm_bytes);
    external_bytes += double(weights);
  }
  s.npu_blocks += blocks;
  out.events += kBlockEvents * blocks;
  peak_blocks = std::max(peak_blocks, double(blocks));
  const double sram_rate = std::min(hw.npu.sram_bytes_per_cycle, hw.sram.total_bytes_per_cycle());
  const double external_rate = std::min(hw.npu.external_bytes_per_cycle, hw.external.bytes_per_cycle);
  out.cycles = std::max({compute, safe_div(sram_bytes, sram_rate), safe_div(external_bytes, external_rate)});
  return out;
}

// `free_subarrays`: MRAM tiles left free by the resident layers (streamed layers use these).
PartWork add_cim_part(const Layer& part, const Workload& w, const HardwareSpec& hw, bool resident,
                      int64_t free_subarrays, SimWork& s, double& peak_round_tiles) {
  PartWork out;
  const CimSpec& cim = hw.cim;
  const CimTiling t = cim_tiling(part, cim);
  const LayerCounts counts = count_layer(part, w.precision);
  s.cim_tiles += t.tiles;
  int64_t rounds = 1;
  if (!resident) {
    if (free_subarrays <= 0) return out;  // the simulator refuses it (no sub-array to program)
    rounds = t.tiles > 0 ? ceil_div(t.tiles, std::min(t.tiles, free_subarrays)) : 0;
  }
  const int64_t chunks = std::min(t.positions, blocksim::kCimChunks);
  const int64_t all_chunks = rounds * std::max<int64_t>(0, chunks);
  s.cim_rounds += rounds;
  s.cim_chunks += all_chunks;
  out.events += kChunkEvents * all_chunks;
  const bool depthwise = part.op == OpKind::DepthwiseConv2d;
  const double input_bytes = double(counts.input_bytes) * ((depthwise || rounds <= 1) ? 1.0 : double(rounds));
  s.sram_transfers += rounds * (nonzero_shares(counts.input_bytes, chunks) + nonzero_shares(counts.output_bytes, chunks));
  // Array activations per input vector, summed over rounds: at least one per round that holds a
  // tile, and the busiest macro holds at least tiles / macros of them.
  const double waves =
      t.tiles > 0 ? std::max(double(rounds), std::ceil(double(t.tiles) / std::max(1, cim.macros))) : 0;
  double program = 0;
  if (!resident) {
    const int64_t program_bytes = counts.weight_bytes + counts.bias_bytes;
    s.cim_tiles_programmed += t.tiles;
    s.dma_commands += nonzero_shares(program_bytes, t.tiles);
    const int64_t bursts = shared_bursts(program_bytes, t.tiles, hw.external.burst_bytes);
    s.dma_bursts += bursts;
    out.events += kTileEvents * t.tiles + kBurstEvents * bursts;
    peak_round_tiles = std::max(peak_round_tiles, double(ceil_div(t.tiles, std::max<int64_t>(1, rounds))));
    // Each macro writes its tiles one after another; the weights arrive at the memory's bandwidth.
    program = std::max(waves * double(t.rows_used) * cim.mram_write_cycles_per_row,
                       safe_div(double(program_bytes), hw.external.bytes_per_cycle));
  }
  if (chunks > 0) {
    const int64_t bit_passes = ceil_div(w.precision.activation_bits, cim.input_bits_per_cycle);
    const double macro = double(t.positions) * double(bit_passes) * waves + double(rounds) * cim.pipeline_latency_cycles;
    const double cu = double(ceil_div(t.positions * t.partial_sums_per_position,
                                      int64_t(cim.compute_units) * cim.cu_outputs_per_cycle));
    const double sram_rate = std::min(cim.sram_bytes_per_cycle, hw.sram.total_bytes_per_cycle());
    program += std::max({macro, cu, safe_div(input_bytes + double(counts.output_bytes), sram_rate)});
  }
  out.cycles = program;
  return out;
}

// "1.8e+16" -> "1.8e16", "1e-05" -> "1e-5".
std::string tidy_exponent(const std::string& s) {
  const size_t e = s.find('e');
  if (e == std::string::npos) return s;
  std::string exponent = s.substr(e + 1);
  const bool negative = exponent[0] == '-';
  exponent.erase(0, exponent.find_first_not_of("+-0"));
  return s.substr(0, e) + "e" + (negative ? "-" : "") + exponent;
}

// A predicted figure, to two significant digits: 38, 1900, 3.8e7.
std::string approx(double v) {
  if (v >= 1e5) return tidy_exponent(fmt::format("{:.2g}", v));
  if (v >= 10) {
    const double unit = std::pow(10.0, std::floor(std::log10(v)) - 1);
    return fmt::format("{:.0f}", std::round(v / unit) * unit);
  }
  return fmt::format("{:.2g}", v);
}

// A limit as given: 8192, 0.5, 1e9, 1.8e16.
std::string exact(double v) { return tidy_exponent(fmt::format("{:g}", v)); }

std::string duration(double seconds) {
  if (seconds < 10) return fmt::format("{:.2g} s", seconds);
  if (seconds < 120) return fmt::format("{:.0f} s", seconds);
  if (seconds < 7200) return fmt::format("{:.0f} min", seconds / 60);
  if (seconds < 2 * 86400) return fmt::format("{:.0f} h", seconds / 3600);
  return fmt::format("{:.0f} days", seconds / 86400);
}

// The layer with the most of `figure`, as " (most in layer 'x': ~N)", or "" for a one-layer network.
template <typename Figure>
std::string heaviest(const SimWork& work, Figure figure) {
  if (work.layers.size() < 2) return "";
  size_t best = 0;
  for (size_t i = 1; i < work.layers.size(); ++i)
    if (figure(work.layers[i]) > figure(work.layers[best])) best = i;
  return fmt::format(" (most in layer '{}': ~{})", work.layers[best].name, approx(double(figure(work.layers[best]))));
}

}  // namespace

SimWork predict_sim_work(const Workload& w, const HardwareSpec& hw, const Mapping& m) {
  SimWork s;
  s.layers.assign(w.layers.size(), LayerSimWork{});
  if (m.layers.size() != w.layers.size()) return s;  // build_plan refuses it
  std::vector<bool> resident(w.layers.size(), false);
  int64_t free_subarrays = 0;
  bool cim_ok = hw.cim.present;
  if (cim_ok && cim_residency_problem(w, m, hw.cim).empty()) {
    resident = plan_cim_residency(w, m, hw.cim);
    free_subarrays = int64_t(std::max(1, hw.cim.macros)) * hw.cim.subarrays_per_macro;
    for (size_t i = 0; i < w.layers.size(); ++i)
      if (resident[i] && m.layers[i].on_cim())
        free_subarrays -= std::min(free_subarrays, cim_tiling(layer_part(w.layers[i], Unit::Cim, m.layers[i]), hw.cim).tiles);
  } else {
    cim_ok = false;  // no CIM, or pinned weights that do not fit: build_plan refuses CIM layers
  }
  double npu_cycles = 0, cim_cycles = 0, peak_blocks = 0, peak_round_tiles = 0;
  int64_t parts = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    const Placement& p = m.layers[i];
    LayerSimWork& lw = s.layers[i];
    lw.name = l.name;
    if (p.on_npu() && unit_supports(Unit::Npu, l.op)) {
      const PartWork pw = add_npu_part(p.split() ? layer_part(l, Unit::Npu, p) : l, w, hw, s, peak_blocks);
      lw.events += pw.events, lw.cycles += pw.cycles, npu_cycles += pw.cycles, ++parts;
    }
    if (p.on_cim() && cim_ok && unit_supports(Unit::Cim, l.op)) {
      const PartWork pw = add_cim_part(p.split() ? layer_part(l, Unit::Cim, p) : l, w, hw, resident[i], free_subarrays,
                                       s, peak_round_tiles);
      lw.events += pw.events, lw.cycles += pw.cycles, cim_cycles += pw.cycles, ++parts;
    }
    s.events += lw.events;
  }
  s.cycles = std::max(npu_cycles, cim_cycles);
  s.memory_bytes = kBaseMemory + kBlockMemory * peak_blocks + kTileMemory * double(s.cim_tiles) +
                   kProgrammedTileMemory * peak_round_tiles + kPartMemory * double(parts);
  // Spans: a layer part, an NPU command, a DMA command, a programmed tile, a CIM round. Counters:
  // up to two timeline segments per SRAM transfer, one counter per bank; about one per burst.
  const double spans = double(parts + s.npu_commands + s.dma_commands + s.cim_tiles_programmed + s.cim_rounds);
  const double counters = 2.0 * double(s.sram_transfers) * hw.sram.banks + double(s.dma_bursts);
  s.trace_bytes = kTraceRecordBytes * (spans + counters);
  s.trace_memory_bytes = kTraceRecordMemory * (spans + counters);
  return s;
}

std::string check_sim_budget(const SimWork& work, const SimLimits& limits, bool with_trace, const std::string& what) {
  std::vector<std::string> over, flags;
  bool beyond_systemc = false;
  const std::string cycles_where = heaviest(work, [](const LayerSimWork& l) { return l.cycles; });
  if (work.cycles > kSystemcMaxCycles) {
    beyond_systemc = true;
    over.push_back(fmt::format("at least ~{} simulated cycles{}, beyond the {} that SystemC's 64-bit picosecond clock "
                               "counts at 1 ns per cycle",
                               approx(work.cycles), cycles_where, exact(kSystemcMaxCycles)));
  } else if (limits.max_cycles > 0 && work.cycles > limits.max_cycles) {
    over.push_back(fmt::format("at least ~{} simulated cycles{}, over the limit {} (--max-sim-cycles)", approx(work.cycles),
                               cycles_where, exact(limits.max_cycles)));
    flags.push_back("--max-sim-cycles N");
  }
  if (limits.max_events > 0 && double(work.events) > limits.max_events) {
    over.push_back(fmt::format("~{} simulation events{}, ~{} at ~{} events/s, over the limit {} (--max-sim-events)",
                               approx(double(work.events)), heaviest(work, [](const LayerSimWork& l) { return l.events; }),
                               duration(double(work.events) / kSimEventsPerSecond), exact(kSimEventsPerSecond),
                               exact(limits.max_events)));
    flags.push_back("--max-sim-events N");
  }
  const double memory_mb = (work.memory_bytes + (with_trace ? work.trace_memory_bytes : 0)) / 1e6;
  if (limits.max_memory_mb > 0 && memory_mb > limits.max_memory_mb) {
    over.push_back(fmt::format("~{} MB of memory{}, over the limit {} MB (--max-sim-memory-mb)", approx(memory_mb),
                               with_trace ? " with its trace" : "", exact(limits.max_memory_mb)));
    flags.push_back("--max-sim-memory-mb N");
  }
  const double trace_mb = work.trace_bytes / 1e6;
  const bool trace_over = with_trace && limits.max_trace_mb > 0 && trace_mb > limits.max_trace_mb;
  if (trace_over) {
    over.push_back(fmt::format("a ~{} MB trace, over the limit {} MB (--max-trace-mb)", approx(trace_mb),
                               exact(limits.max_trace_mb)));
    flags.push_back("--max-trace-mb N");
  }
  if (over.empty()) return "";
  std::string text = what + " needs ";
  for (size_t i = 0; i < over.size(); ++i) text += (i == 0 ? "" : i + 1 == over.size() ? "; and " : "; ") + over[i];
  std::string fixes;
  for (size_t i = 0; i < flags.size(); ++i) fixes += (i == 0 ? "" : i + 1 == flags.size() ? " and " : ", ") + flags[i];
  if (beyond_systemc) text += "; simplify the workload or the hardware";
  else text += "; raise the limit" + std::string(flags.size() > 1 ? "s" : "") + " with " + fixes +
               " or simplify the workload or the hardware";
  if (trace_over) text += ", or simulate without a trace";
  return text;
}

SimWork cycle_sim_work(SimWork work, int sram_banks) {
  work.events = int64_t(work.cycles);
  for (LayerSimWork& l : work.layers) l.events = int64_t(l.cycles);
  work.memory_bytes = kCycleSimMemoryBytes;
  const double records = double(work.layers.size()) + work.cycles / double(kCycleSimCounterWindow) * sram_banks;
  work.trace_bytes = records * 80;
  work.trace_memory_bytes = records * 900;
  return work;
}

std::string sim_budget_problem(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping,
                               const SimLimits& limits, bool with_trace) {
  SimWork work = predict_sim_work(workload, hw, mapping);
  if (limits.fidelity == SimFidelity::Cycle) work = cycle_sim_work(work, hw.sram.banks);
  return check_sim_budget(work, limits, with_trace, workload.name + " on " + hw.name);
}

void require_sim_budget(const std::string& context, const Workload& workload, const HardwareSpec& hw,
                        const Mapping& mapping, const SimLimits& limits, bool with_trace) {
  const std::string problem = sim_budget_problem(workload, hw, mapping, limits, with_trace);
  if (!problem.empty()) throw InputError(context + ": " + problem);
}

std::string check_sweep_points(const std::vector<size_t>& counts, double max_points) {
  double points = 1;
  std::string product;
  for (size_t n : counts) {
    points *= double(n);
    product += (product.empty() ? "" : " x ") + std::to_string(n);
  }
  if (max_points <= 0 || points <= max_points) return "";
  return fmt::format("the --set values make {} points ({}), over the limit {} (--max-points); raise it with "
                     "--max-points N or sweep fewer values",
                     points < 1e15 ? fmt::format("{:.0f}", points) : approx(points), product, exact(max_points));
}

}  // namespace h4h
