#pragma once
// What a SystemC simulation will cost, predicted from its inputs before anything is built or
// forked, and the limits that refuse a workload or hardware file whose simulation would run for
// days, exhaust memory or overflow SystemC's clock.
//
// Contract:
//  - predict_sim_work is arithmetic over (workload, hardware, mapping) that mirrors build_plan's
//    parts (sim_plan.h) and what the modules do with them: NPU blocks and commands, CIM rounds,
//    chunks and programmed tiles, external-memory bursts, SRAM transfers and trace records. It
//    never allocates per block, tile or burst, so it takes microseconds per layer for anything
//    the parsers accept. Layers the simulator would reject (an op a unit cannot run, a CIM
//    placement without a CIM, an NPU engine without a schedule) add nothing: build_plan names them.
//  - `events` predicts wall time: simulated work weighted by what each kind cost in the
//    measurements below (a burst or a programmed tile 1, an NPU block 2, a CIM chunk 4), about one
//    microsecond each. Simulated cycles themselves cost nothing: modules annotate delays and jump.
//  - `cycles` is a lower bound of the simulated cycles (each unit runs its parts in order, and a
//    part takes at least its datapath cycles and its bytes at its ports' bandwidth), so a workload
//    refused for cycles certainly exceeds the limit.
//  - `memory_bytes` (the simulator process's peak) and `trace_bytes` (the Chrome trace JSON) are
//    estimates, within a factor of two of the measurements below.
//  - check_sim_budget returns "" when every figure is within its limit, else one message naming
//    each figure over its limit, the value, the limit, its flag and how to raise it; callers make
//    it an InputError (exit 2) or, for a search finalist, the reason it is dropped.
//
// Measurements (h4h simulate, -O2, on the 2-core development VM while other builds ran): predicted
// events (and the dominant kind), wall time of the whole command, peak memory of the child.
//   zoo models, h4h-default, rule                   0.045-0.25 M                 0.14-0.62 s    23-27 MB
//   resnet18, external.burst_bytes=4                7.1 M (7.07 M bursts)        6.8-10.2 s        23 MB
//   mobilenet_v2 npu-only, systolic 1x1 array       10.8 M (3.7 M NPU blocks)      12.7 s         182 MB
//   resnet18 npu-only, systolic 1x4, 64 KB bursts   9.6 M (3.3 M NPU blocks)       10.6 s         102 MB
//   deit_tiny streamed, 16x16 CIM, 1 sub-array      6.6 M (1.6 M CIM chunks)        6.8 s          27 MB
//   deit_tiny streamed, 2x8 CIM, 64 x 65536 tiles   0.84 M (0.41 M tiles)           1.0 s          38 MB
//   deit_tiny npu-only on ethos-u55-32, systolic, --trace: 144 MB of JSON (80 bytes per span or
//   counter), 15.8 s, parent 1.6 GB and child 0.9 GB at the peak (~900 bytes per record).
// The heaviest zoo model on a shipped preset (hwconfigs/*.yaml, either NPU engine, npu-only or
// rule) needs 1.2 M events (resnet18 on ethos-u55-32, systolic; 1.4 s), 8.6e7 cycles (deit_tiny on
// ethos-u55-32), ~50 MB and a 144 MB trace. The default limits sit far above that: 1e9 events
// (~800x, ~17 minutes), 1e12 cycles (~10000x, 33 simulated minutes at 500 MHz), 8 GB of memory
// (~160x) and a 512 MB trace (3.5x; chrome://tracing stops at 256 MB and Perfetto's web UI at about
// 2 GB of memory, 2-4x the trace, so larger traces need trace_processor --httpd anyway).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/evaluator.h"
#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/core/workload.h"

namespace h4h {

// The measured rate (above): 0.7 to 1.3 million weighted events per second.
constexpr double kSimEventsPerSecond = 1.0e6;

// SystemC time is a 64-bit count of picoseconds and the simulator maps one cycle to 1 ns
// (sim_time.h): beyond this many cycles the clock wraps around and results would be garbage.
constexpr double kSystemcMaxCycles = 1.8e16;

struct LayerSimWork {
  std::string name;
  int64_t events = 0;
  double cycles = 0;  // lower bound of the layer's parts' busy cycles (summed over its parts)
};

struct SimWork {
  int64_t npu_blocks = 0, npu_commands = 0;
  int64_t cim_rounds = 0, cim_chunks = 0, cim_tiles = 0, cim_tiles_programmed = 0;
  int64_t dma_commands = 0, dma_bursts = 0;
  int64_t sram_transfers = 0;
  int64_t events = 0;          // 2 npu_blocks + 4 cim_chunks + cim_tiles_programmed + dma_bursts
  double cycles = 0;           // lower bound of total simulated cycles
  double memory_bytes = 0;     // simulator process peak (without a trace)
  double trace_bytes = 0;      // Chrome trace JSON, when one is recorded
  double trace_memory_bytes = 0;  // extra process memory a recorded trace takes
  std::vector<LayerSimWork> layers;  // per workload layer
};

SimWork predict_sim_work(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping);

// Limits on one simulation. A value <= 0 disables that limit (never the SystemC clock's).
struct SimLimits {
  double max_events = 1e9;      // --max-sim-events
  double max_cycles = 1e12;     // --max-sim-cycles (at most kSystemcMaxCycles)
  double max_memory_mb = 8192;  // --max-sim-memory-mb
  double max_trace_mb = 512;    // --max-trace-mb (only when a trace is recorded)
  SimFidelity fidelity = SimFidelity::Cycle;  // --fidelity: the simulator these limits apply to
};

// "" or, e.g., "resnet18 on h4h-default needs ~3.8e7 simulation events (most in layer
// 'layer4.0.conv2': ~7.1e6), ~38 s at ~1e6 events/s, over the limit 1e7 (--max-sim-events); raise
// the limit with --max-sim-events N or simplify the workload or the hardware". `what` starts it;
// several figures over their limits are listed in one message.
std::string check_sim_budget(const SimWork& work, const SimLimits& limits, bool with_trace,
                             const std::string& what);
// The cycle-level simulator (--fidelity cycle) clocks every cycle in which anything can change, so
// its work is its cycles: `work` with events = cycles (per layer too), a constant process memory and
// a trace of one span per layer part plus one counter per SRAM bank every kCycleSimCounterWindow
// cycles. Measured (h4h simulate, -O2, 2-core VM, otherwise idle): nasvit_a0 on h4h-default, rule:
// 14.7 M cycles in 6.5 s wall (2.3 M cycles/s), 52 MB peak; mobilenet_v2: 6.3 M cycles in 2.9 s
// (2.2 M cycles/s), 50 MB; about half that rate while other work shares the cores. The events limit
// (1e9) is then ~8-15 minutes of simulation.
constexpr double kCycleSimMemoryBytes = 64e6;
constexpr int64_t kCycleSimCounterWindow = 1024;
SimWork cycle_sim_work(SimWork work, int sram_banks);

// predict_sim_work (made cycle_sim_work under --fidelity cycle), then check_sim_budget with
// what = "<workload> on <hw name>".
std::string sim_budget_problem(const Workload& workload, const HardwareSpec& hw, const Mapping& mapping,
                               const SimLimits& limits, bool with_trace);
// sim_budget_problem, thrown as InputError (exit 2) "<context>: <problem>" when there is one.
void require_sim_budget(const std::string& context, const Workload& workload, const HardwareSpec& hw,
                        const Mapping& mapping, const SimLimits& limits, bool with_trace);

// Limit on the points of a sweep (the product of the --set value counts). Measured: 10,000 points
// of nasvit_a0 (rule schema) took 10.7 s and 146 MB (~10 KB per point); the README's largest
// sweep has 15. 100,000 points: ~2 minutes and ~1.5 GB with the rule schema, over an hour with
// the optimal one (40 ms a point), hours with --simulate.
constexpr double kDefaultMaxSweepPoints = 100000;
// "" or the message naming the count, the limit and --max-points; `counts` are the values per axis.
std::string check_sweep_points(const std::vector<size_t>& counts, double max_points);

}  // namespace h4h
