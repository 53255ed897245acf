// h4h hw show FILE [--set KEY=VALUE ...] [--json]
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "sim/engines/npu_engine_registry.h"

namespace h4h {

namespace {

nlohmann::json hardware_json(const HardwareSpec& hw) {
  HardwareSummary s = summarize(hw, npu_engine(hw.npu).peak_macs_per_cycle(hw.npu));
  nlohmann::json j = {
      {"name", hw.name},
      {"file", hw.file},
      {"clock_mhz", hw.clock_mhz},
      {"npu", {{"engine", hw.npu.engine}, {"macs_per_cycle", hw.npu.macs_per_cycle},
               {"shram_kb", hw.npu.shram_kb}, {"array_rows", hw.npu.array_rows}, {"array_cols", hw.npu.array_cols},
               {"dataflow", dataflow_name(hw.npu.dataflow)}, {"peak_tops", s.npu_peak_tops},
               {"sram_port_gbps", s.npu_sram_gbps}}},
      {"sram", {{"size_kb", hw.sram.size_kb}, {"banks", hw.sram.banks},
                {"bytes_per_cycle_per_bank", hw.sram.bytes_per_cycle_per_bank}, {"gbps", s.sram_gbps}}},
      {"external", {{"kind", hw.external.kind}, {"bytes_per_cycle", hw.external.bytes_per_cycle}, {"gbps", s.external_gbps}}},
      {"static_power_mw", hw.static_power.total_mw()}};
  if (hw.cim.present)
    j["cim"] = {{"macros", hw.cim.macros}, {"compute_units", hw.cim.compute_units}, {"rows", hw.cim.rows},
                {"cols", hw.cim.cols}, {"subarrays_per_macro", hw.cim.subarrays_per_macro},
                {"weight_bits", hw.cim.weight_bits}, {"capacity_kib", s.cim_capacity_kib}, {"peak_tops", s.cim_peak_tops},
                {"sram_port_gbps", s.cim_sram_gbps}};
  return j;
}

std::string hardware_text(const HardwareSpec& hw) {
  const INpuEngine& engine = npu_engine(hw.npu);
  HardwareSummary s = summarize(hw, engine.peak_macs_per_cycle(hw.npu));
  std::string out = fmt::format("{} ({}) at {} MHz\n", hw.name, hw.file, hw.clock_mhz);
  out += fmt::format("  NPU   {}: peak {:.3f} TOPS (int8)\n", engine.describe(hw.npu), s.npu_peak_tops);
  out += fmt::format("        SRAM port {:.2f} GB/s, external port {:.2f} GB/s\n", s.npu_sram_gbps,
                     hw.npu.external_bytes_per_cycle * hw.clock_hz() / 1e9);
  if (hw.cim.present) {
    out += fmt::format("  CIM   {} macros x {} sub-arrays of {}x{} bits, {}-bit weights, {} compute units\n", hw.cim.macros,
                       hw.cim.subarrays_per_macro, hw.cim.rows, hw.cim.cols, hw.cim.weight_bits, hw.cim.compute_units);
    out += fmt::format("        capacity {:.0f} KiB of weights, peak {:.3f} TOPS (8-bit inputs, {} bit/cycle), SRAM port {:.2f} GB/s\n",
                       s.cim_capacity_kib, s.cim_peak_tops, hw.cim.input_bits_per_cycle, s.cim_sram_gbps);
  } else {
    out += "  CIM   none\n";
  }
  out += fmt::format("  SRAM  {} KB in {} banks x {} B/cycle: {:.2f} GB/s, {} cycles latency\n", hw.sram.size_kb, hw.sram.banks,
                     hw.sram.bytes_per_cycle_per_bank, s.sram_gbps, hw.sram.latency_cycles);
  out += fmt::format("  ext.  {} {} B/cycle: {:.2f} GB/s, {} cycles latency\n", hw.external.kind, hw.external.bytes_per_cycle,
                     s.external_gbps, hw.external.latency_cycles);
  out += fmt::format("  energy: NPU MAC {:.4f} pJ, CIM MAC {:.4f} pJ, SRAM {:.2f} pJ/B, external {:.2f} pJ/B, MRAM write {:.2f} pJ/bit\n",
                     hw.energy.npu_mac_pj(), hw.energy.cim_mac_pj, hw.energy.sram_read_pj_per_byte,
                     hw.energy.external_read_pj_per_byte, hw.energy.mram_write_pj_per_bit);
  out += fmt::format("  static power {:.2f} mW\n", hw.static_power.total_mw());
  return out;
}

}  // namespace

void add_hw_commands(CLI::App& app, Action& action) {
  CLI::App* hw = app.add_subcommand("hw", "Inspect hardware configurations");
  hw->require_subcommand(1);
  struct Options {
    std::string file;
    std::vector<std::string> sets;
    bool json = false;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* show = hw->add_subcommand("show", "Print a system with derived figures (peak TOPS, CIM capacity, GB/s)");
  show->add_option("file", opt->file, "hardware YAML")->required();
  show->add_option("--set", opt->sets, "override a key, e.g. --set cim.macros=8 (repeatable)");
  show->add_flag("--json", opt->json, "print JSON");
  show->callback([&action, opt] {
    action = [opt] {
      HardwareSpec spec = resolve_hardware(opt->file, opt->sets);
      std::cout << (opt->json ? hardware_json(spec).dump(1) + "\n" : hardware_text(spec));
      return 0;
    };
  });
}

}  // namespace h4h
