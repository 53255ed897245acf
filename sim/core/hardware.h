#pragma once
// HardwareSpec: the NPU + CIM + shared SRAM + external memory system, read from a versioned YAML
// file (see hwconfigs/ and docs/formats.md). Units are in the names: _cycles at the system clock,
// _bytes, _kbit, _pj (picojoules), _mw (milliwatts).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace h4h {

enum class Dataflow { OutputStationary, WeightStationary, InputStationary };

struct NpuSpec {
  std::string engine = "ethos-u55";  // a registered engine (sim/engines/npu_engine_registry.h)
  int macs_per_cycle = 256;       // ethos-u55: 32, 64, 128 or 256
  int shram_kb = 48;              // ethos-u55 shared buffer
  int array_rows = 16, array_cols = 16;  // systolic engine
  Dataflow dataflow = Dataflow::WeightStationary;
  double sram_bytes_per_cycle = 8;      // AXI port to the shared SRAM
  double external_bytes_per_cycle = 8;  // AXI port to external memory
  int sram_burst_bytes = 32;            // burst length on the SRAM port (Vela: 32 bytes)
  // Copied from sram.latency_cycles / external.latency_cycles when the file is read, so that the
  // NPU's block model sees the memory system it sits in.
  int sram_latency_cycles = 32;
  int external_latency_cycles = 64;
  // Output-unit passes used for ops Vela has no single NPU op for (documented in the YAML).
  double softmax_passes = 6;
  double layernorm_passes = 5;
  double lut_activation_passes = 1;  // sigmoid, gelu, hswish, hsigmoid via the 256-entry LUT
};

enum class CimReprogram { Never, PerInference };
const char* cim_reprogram_name(CimReprogram r);

struct CimSpec {
  bool present = false;
  int macros = 0;
  int compute_units = 0;          // post-processing units shared by the macros
  int rows = 256;                 // word lines driven per compute cycle (adder-tree inputs)
  int cols = 256;                 // bit lines of one sub-array
  int subarrays_per_macro = 1;    // weight tiles a macro stores; one computes at a time
  int weight_bits = 8;
  int input_bits_per_cycle = 1;   // bit-serial input drive
  int cu_outputs_per_cycle = 8;   // outputs (partial sums) one compute unit accumulates per cycle
  int pipeline_latency_cycles = 5;  // array read + adder tree + shift-accumulate fill per layer
  int mram_write_cycles_per_row = 10;  // programming one row (write + verify)
  double sram_bytes_per_cycle = 8;  // port to the shared SRAM
  // Whether weights that do not fit the MRAM may be written before every inference (per_inference)
  // or never (never: the default; a layer whose weights do not fit stays on the NPU).
  CimReprogram reprogram = CimReprogram::Never;
  double mram_endurance_writes = 1e6;  // write cycles an MRAM cell survives (lifetime reports)
  int64_t capacity_bits() const {
    return present ? int64_t(macros) * subarrays_per_macro * rows * cols : 0;
  }
};

enum class SramArbitration { RoundRobin, FixedPriority };
const char* sram_arbitration_name(SramArbitration a);

struct SramSpec {
  int64_t size_kb = 0;
  int banks = 1;
  double bytes_per_cycle_per_bank = 8;
  int latency_cycles = 32;
  // Consecutive interleave_bytes-sized address blocks go to consecutive banks (a power of two):
  // bank = (address / interleave_bytes) % banks.
  int64_t interleave_bytes = 8;
  SramArbitration arbitration = SramArbitration::RoundRobin;  // among ports wanting one bank in one cycle
  double total_bytes_per_cycle() const { return banks * bytes_per_cycle_per_bank; }
};

struct ExternalMemorySpec {
  std::string kind = "flash";  // flash | lpddr
  double bytes_per_cycle = 1;
  int latency_cycles = 64;
  int burst_bytes = 128;       // DMA burst length (the simulator's transfer unit to this memory)
  int max_outstanding = 8;     // bursts a DMA channel keeps in flight (overlaps their latency)
};

// Energy per action, in pJ. Logic figures are given at 45 nm and scaled by logic_scale.
struct EnergyTable {
  double logic_scale = 1.0;
  double npu_mac_pj_45nm = 0.23;
  double npu_elementwise_pj_45nm = 0.23;
  double cim_mac_pj = 0.0667;
  double cim_cu_op_pj_45nm = 0.23;
  double sram_read_pj_per_byte = 4;
  double sram_write_pj_per_byte = 4;
  double external_read_pj_per_byte = 64;
  double external_write_pj_per_byte = 64;
  double mram_read_pj_per_bit = 0.23;
  double mram_write_pj_per_bit = 25;
  double npu_mac_pj() const { return npu_mac_pj_45nm * logic_scale; }
  double npu_elementwise_pj() const { return npu_elementwise_pj_45nm * logic_scale; }
  double cim_cu_op_pj() const { return cim_cu_op_pj_45nm * logic_scale; }
};

struct StaticPower {
  double npu_mw = 0, cim_mw = 0, sram_mw = 0;
  double total_mw() const { return npu_mw + cim_mw + sram_mw; }
};

struct HardwareSpec {
  std::string name;
  std::string file;  // where it was read from ("" when built in code)
  double clock_mhz = 500;
  NpuSpec npu;
  CimSpec cim;
  SramSpec sram;
  ExternalMemorySpec external;
  EnergyTable energy;
  StaticPower static_power;
  double clock_hz() const { return clock_mhz * 1e6; }
};

// The values npu.engine accepts: each NPU engine registers its name at start-up
// (sim/engines/npu_engine_registry.h), so the loader checks names without linking engine code.
void register_npu_engine_name(const std::string& name);
std::vector<std::string> npu_engine_names();  // sorted
const char* dataflow_name(Dataflow dataflow);

// One "--set KEY=VALUE" override: a dotted path into the YAML and a scalar value.
using Override = std::pair<std::string, std::string>;
// Parses "KEY=VALUE"; throws InputError naming the argument when it is not of that form.
Override parse_override(const std::string& text);

// Loads and validates a hardware file, applying overrides (in order) before validation. Unknown,
// missing, mistyped and out-of-range keys throw InputError naming the file and the key path.
HardwareSpec load_hardware(const std::string& path, const std::vector<Override>& overrides = {});
HardwareSpec parse_hardware(const std::string& yaml_text, const std::string& file,
                            const std::vector<Override>& overrides = {});

// Derived figures for `h4h hw show`; the NPU's peak comes from its engine.
struct HardwareSummary {
  double npu_peak_tops = 0, cim_peak_tops = 0;
  double cim_capacity_kib = 0;
  double sram_gbps = 0, external_gbps = 0, npu_sram_gbps = 0, cim_sram_gbps = 0;
};
HardwareSummary summarize(const HardwareSpec& hw, double npu_peak_macs_per_cycle);

}  // namespace h4h
