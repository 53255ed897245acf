#include "sim/core/hardware.h"

#include <cmath>
#include <functional>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

#include "sim/core/cim_geometry.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

namespace {
std::set<std::string>& engine_names() {
  static std::set<std::string> names;
  return names;
}
}  // namespace

void register_npu_engine_name(const std::string& name) { engine_names().insert(name); }

std::vector<std::string> npu_engine_names() { return {engine_names().begin(), engine_names().end()}; }

const char* dataflow_name(Dataflow d) {
  switch (d) {
    case Dataflow::OutputStationary: return "os";
    case Dataflow::WeightStationary: return "ws";
    case Dataflow::InputStationary: return "is";
  }
  return "?";
}

const char* cim_reprogram_name(CimReprogram r) { return r == CimReprogram::Never ? "never" : "per_inference"; }

const char* sram_arbitration_name(SramArbitration a) {
  return a == SramArbitration::RoundRobin ? "round-robin" : "fixed-priority";
}

Override parse_override(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw_input_error("--set", text, "expected KEY=VALUE with a dotted key, e.g. cim.macros=8");
  if (invalid_utf8_offset(text) != std::string::npos) throw_input_error("--set", "", "not UTF-8 text");
  return {text.substr(0, eq), text.substr(eq + 1)};
}

namespace {

std::string fmt_number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

using Expected = std::function<std::string()>;  // human text for errors, made when needed

Expected fixed(std::string text) {
  return [text] { return text; };
}

// One key of the hardware file: its dotted path, what values it takes, and where it goes.
struct Param {
  std::string path;
  Expected expected;  // a function: plugins may add values after the schema is built
  std::function<void(HardwareSpec&, const YAML::Node&, const std::function<void(const std::string&)>&)> apply;
  // Policy keys added after version 1 may be left out and take this value; "" = required.
  std::string default_value = "";
};

Param with_default(Param p, std::string value) {
  p.default_value = std::move(value);
  return p;
}

template <typename T>
Param number(const std::string& path, double lo, double hi, std::function<T&(HardwareSpec&)> field) {
  std::string expected = std::string(std::is_integral<T>::value ? "an integer" : "a number") + " in [" +
                         fmt_number(lo) + ", " + fmt_number(hi) + "]";
  return Param{path, fixed(expected), [=](HardwareSpec& hw, const YAML::Node& n, const std::function<void(const std::string&)>& fail) {
                 if (!n.IsScalar()) fail("expected " + expected);
                 double v = 0;
                 try {
                   v = n.as<double>();
                 } catch (const YAML::Exception&) {
                   fail("expected " + expected + ", got \"" + n.Scalar() + "\"");
                 }
                 if (!std::isfinite(v) || v < lo || v > hi) fail("value " + n.Scalar() + " out of range; expected " + expected);
                 if (std::is_integral<T>::value && v != std::floor(v)) fail("expected " + expected + ", got " + n.Scalar());
                 field(hw) = static_cast<T>(v);
               }};
}

std::string one_of(const std::vector<std::string>& options) {
  std::string expected = "one of";
  for (auto& o : options) expected += " " + o;
  return expected;
}

// A key whose value is one of `options()`, read when a file is parsed (plugins may add options).
Param choice(const std::string& path, std::function<std::vector<std::string>()> options,
             std::function<void(HardwareSpec&, const std::string&)> set) {
  const Expected expected = [options] { return one_of(options()); };
  return Param{path, expected, [=](HardwareSpec& hw, const YAML::Node& n, const std::function<void(const std::string&)>& fail) {
                 const std::vector<std::string> values = options();
                 if (!n.IsScalar()) fail("expected " + one_of(values));
                 for (auto& o : values)
                   if (n.Scalar() == o) return set(hw, o);
                 fail("expected " + one_of(values) + ", got \"" + n.Scalar() + "\"");
               }};
}

Param choice(const std::string& path, std::vector<std::string> options, std::function<void(HardwareSpec&, const std::string&)> set) {
  return choice(path, [options] { return options; }, std::move(set));
}

const std::vector<Param>& schema() {
  static const std::vector<Param> params = [] {
    std::vector<Param> p;
    p.push_back(Param{"version", fixed("1"), [](HardwareSpec&, const YAML::Node& n, const std::function<void(const std::string&)>& fail) {
                        if (!n.IsScalar() || n.Scalar() != "1") fail("expected 1 (the only hardware file version)");
                      }});
    p.push_back(Param{"name", fixed("a string"), [](HardwareSpec& h, const YAML::Node& n, const std::function<void(const std::string&)>& fail) {
                        if (!n.IsScalar()) fail("expected a string");
                        h.name = n.Scalar();
                      }});
    p.push_back(number<double>("clock_mhz", 1, 10000, [](HardwareSpec& h) -> double& { return h.clock_mhz; }));
    // NPU
    p.push_back(choice("npu.engine", npu_engine_names, [](HardwareSpec& h, const std::string& v) { h.npu.engine = v; }));
    p.push_back(choice("npu.macs_per_cycle", {"32", "64", "128", "256"},
                       [](HardwareSpec& h, const std::string& v) { h.npu.macs_per_cycle = std::stoi(v); }));
    p.push_back(number<int>("npu.shram_kb", 1, 4096, [](HardwareSpec& h) -> int& { return h.npu.shram_kb; }));
    p.push_back(number<int>("npu.array_rows", 1, 4096, [](HardwareSpec& h) -> int& { return h.npu.array_rows; }));
    p.push_back(number<int>("npu.array_cols", 1, 4096, [](HardwareSpec& h) -> int& { return h.npu.array_cols; }));
    p.push_back(choice("npu.dataflow", {"os", "ws", "is"}, [](HardwareSpec& h, const std::string& v) {
      h.npu.dataflow = v == "os" ? Dataflow::OutputStationary : v == "ws" ? Dataflow::WeightStationary : Dataflow::InputStationary;
    }));
    p.push_back(number<double>("npu.sram_bytes_per_cycle", 0.001, 4096, [](HardwareSpec& h) -> double& { return h.npu.sram_bytes_per_cycle; }));
    p.push_back(number<double>("npu.external_bytes_per_cycle", 0.001, 4096, [](HardwareSpec& h) -> double& { return h.npu.external_bytes_per_cycle; }));
    p.push_back(number<int>("npu.sram_burst_bytes", 1, 4096, [](HardwareSpec& h) -> int& { return h.npu.sram_burst_bytes; }));
    p.push_back(number<double>("npu.softmax_passes", 0, 100, [](HardwareSpec& h) -> double& { return h.npu.softmax_passes; }));
    p.push_back(number<double>("npu.layernorm_passes", 0, 100, [](HardwareSpec& h) -> double& { return h.npu.layernorm_passes; }));
    p.push_back(number<double>("npu.lut_activation_passes", 0, 100, [](HardwareSpec& h) -> double& { return h.npu.lut_activation_passes; }));
    // CIM (optional section)
    p.push_back(number<int>("cim.macros", 1, 4096, [](HardwareSpec& h) -> int& { return h.cim.macros; }));
    p.push_back(number<int>("cim.compute_units", 1, 4096, [](HardwareSpec& h) -> int& { return h.cim.compute_units; }));
    p.push_back(number<int>("cim.rows", 1, 16384, [](HardwareSpec& h) -> int& { return h.cim.rows; }));
    p.push_back(number<int>("cim.cols", 1, 16384, [](HardwareSpec& h) -> int& { return h.cim.cols; }));
    p.push_back(number<int>("cim.subarrays_per_macro", 1, 65536, [](HardwareSpec& h) -> int& { return h.cim.subarrays_per_macro; }));
    p.push_back(number<int>("cim.weight_bits", 1, 16, [](HardwareSpec& h) -> int& { return h.cim.weight_bits; }));
    p.push_back(number<int>("cim.input_bits_per_cycle", 1, 16, [](HardwareSpec& h) -> int& { return h.cim.input_bits_per_cycle; }));
    p.push_back(number<int>("cim.cu_outputs_per_cycle", 1, 65536, [](HardwareSpec& h) -> int& { return h.cim.cu_outputs_per_cycle; }));
    p.push_back(number<int>("cim.pipeline_latency_cycles", 0, 1000000, [](HardwareSpec& h) -> int& { return h.cim.pipeline_latency_cycles; }));
    p.push_back(number<int>("cim.mram_write_cycles_per_row", 0, 1000000, [](HardwareSpec& h) -> int& { return h.cim.mram_write_cycles_per_row; }));
    p.push_back(number<double>("cim.sram_bytes_per_cycle", 0.001, 4096, [](HardwareSpec& h) -> double& { return h.cim.sram_bytes_per_cycle; }));
    p.push_back(with_default(choice("cim.reprogram", {"never", "per_inference"},
                                    [](HardwareSpec& h, const std::string& v) {
                                      h.cim.reprogram = v == "never" ? CimReprogram::Never : CimReprogram::PerInference;
                                    }),
                             "never"));
    p.push_back(number<double>("cim.mram_endurance_writes", 1, 1e18, [](HardwareSpec& h) -> double& { return h.cim.mram_endurance_writes; }));
    // Shared SRAM
    p.push_back(number<int64_t>("sram.size_kb", 1, 1 << 24, [](HardwareSpec& h) -> int64_t& { return h.sram.size_kb; }));
    p.push_back(number<int>("sram.banks", 1, 1024, [](HardwareSpec& h) -> int& { return h.sram.banks; }));
    p.push_back(number<double>("sram.bytes_per_cycle_per_bank", 0.001, 4096, [](HardwareSpec& h) -> double& { return h.sram.bytes_per_cycle_per_bank; }));
    p.push_back(number<int>("sram.latency_cycles", 0, 1000000, [](HardwareSpec& h) -> int& { return h.sram.latency_cycles; }));
    p.push_back(Param{"sram.interleave_bytes", fixed("a power of two in [1, 1048576]"),
                      [](HardwareSpec& h, const YAML::Node& n, const std::function<void(const std::string&)>& fail) {
                        const std::string expected = "a power of two in [1, 1048576]";
                        if (!n.IsScalar()) fail("expected " + expected);
                        double v = 0;
                        try {
                          v = n.as<double>();
                        } catch (const YAML::Exception&) {
                          fail("expected " + expected + ", got \"" + n.Scalar() + "\"");
                        }
                        if (!std::isfinite(v) || v < 1 || v > 1048576 || v != std::floor(v) ||
                            (int64_t(v) & (int64_t(v) - 1)) != 0)
                          fail("expected " + expected + ", got " + n.Scalar());
                        h.sram.interleave_bytes = int64_t(v);
                      }});
    p.push_back(with_default(choice("sram.arbitration", {"round-robin", "fixed-priority"},
                                    [](HardwareSpec& h, const std::string& v) {
                                      h.sram.arbitration = v == "round-robin" ? SramArbitration::RoundRobin
                                                                              : SramArbitration::FixedPriority;
                                    }),
                             "round-robin"));
    // External memory
    p.push_back(choice("external.kind", {"flash", "lpddr"}, [](HardwareSpec& h, const std::string& v) { h.external.kind = v; }));
    p.push_back(number<double>("external.bytes_per_cycle", 0.001, 4096, [](HardwareSpec& h) -> double& { return h.external.bytes_per_cycle; }));
    p.push_back(number<int>("external.latency_cycles", 0, 1000000, [](HardwareSpec& h) -> int& { return h.external.latency_cycles; }));
    p.push_back(number<int>("external.burst_bytes", 1, 1 << 20, [](HardwareSpec& h) -> int& { return h.external.burst_bytes; }));
    p.push_back(number<int>("external.max_outstanding", 1, 1024, [](HardwareSpec& h) -> int& { return h.external.max_outstanding; }));
    // Energy table
    auto energy = [&](const char* key, double EnergyTable::*field, double hi) {
      p.push_back(number<double>(std::string("energy.") + key, 0, hi, [field](HardwareSpec& h) -> double& { return h.energy.*field; }));
    };
    energy("logic_scale", &EnergyTable::logic_scale, 100);
    energy("npu_mac_pj_45nm", &EnergyTable::npu_mac_pj_45nm, 1e6);
    energy("npu_elementwise_pj_45nm", &EnergyTable::npu_elementwise_pj_45nm, 1e6);
    energy("cim_mac_pj", &EnergyTable::cim_mac_pj, 1e6);
    energy("cim_cu_op_pj_45nm", &EnergyTable::cim_cu_op_pj_45nm, 1e6);
    energy("sram_read_pj_per_byte", &EnergyTable::sram_read_pj_per_byte, 1e6);
    energy("sram_write_pj_per_byte", &EnergyTable::sram_write_pj_per_byte, 1e6);
    energy("external_read_pj_per_byte", &EnergyTable::external_read_pj_per_byte, 1e6);
    energy("external_write_pj_per_byte", &EnergyTable::external_write_pj_per_byte, 1e6);
    energy("mram_read_pj_per_bit", &EnergyTable::mram_read_pj_per_bit, 1e6);
    energy("mram_write_pj_per_bit", &EnergyTable::mram_write_pj_per_bit, 1e6);
    p.push_back(number<double>("static_power_mw.npu", 0, 1e5, [](HardwareSpec& h) -> double& { return h.static_power.npu_mw; }));
    p.push_back(number<double>("static_power_mw.cim", 0, 1e5, [](HardwareSpec& h) -> double& { return h.static_power.cim_mw; }));
    p.push_back(number<double>("static_power_mw.sram", 0, 1e5, [](HardwareSpec& h) -> double& { return h.static_power.sram_mw; }));
    return p;
  }();
  return params;
}

// Sections that may be left out as a whole (a system without that unit).
const std::set<std::string> kOptionalSections = {"cim"};

std::string section_of(const std::string& path) {
  auto dot = path.find('.');
  return dot == std::string::npos ? "" : path.substr(0, dot);
}

bool is_known_section(const std::string& name) {
  for (const Param& p : schema())
    if (section_of(p.path) == name) return true;
  return false;
}

const Param* find_param(const std::string& path) {
  for (const Param& p : schema())
    if (p.path == path) return &p;
  return nullptr;
}

// Collects leaf keys with their dotted paths; rejects anything that is not a known key.
void check_known_keys(const YAML::Node& node, const std::string& prefix, const std::string& file) {
  if (!node.IsMap()) throw_input_error(file, prefix.empty() ? "(top level)" : prefix, "expected a mapping of keys");
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) throw_input_error(file, prefix, "keys must be plain names");
    std::string key = kv.first.Scalar();
    std::string path = prefix.empty() ? key : prefix + "." + key;
    if (find_param(path)) continue;
    if (prefix.empty() && is_known_section(key)) {
      check_known_keys(kv.second, path, file);
      continue;
    }
    throw_input_error(file, path, "unknown key");
  }
}

void apply_override(YAML::Node& root, const Override& o, const std::string& file) {
  const std::string where = "--set " + o.first;
  if (!find_param(o.first)) throw_input_error(file, where, "unknown hardware key");
  std::string section = section_of(o.first);
  if (!section.empty()) {
    if (!root[section] || !root[section].IsMap())
      throw_input_error(file, where, "the file has no '" + section + "' section to override (this system has no " + section + ")");
    root[section][o.first.substr(section.size() + 1)] = o.second;
  } else {
    root[o.first] = o.second;
  }
}

}  // namespace

HardwareSpec parse_hardware(const std::string& yaml_text, const std::string& file, const std::vector<Override>& overrides) {
  if (yaml_text.find('\0') != std::string::npos) throw_input_error(file, "", "binary data, expected a YAML text file");
  if (const size_t at = invalid_utf8_offset(yaml_text); at != std::string::npos)
    throw_input_error(file, "byte " + std::to_string(at), "not UTF-8 text, expected a YAML text file");
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw_input_error(file, "line " + std::to_string(e.mark.line + 1), std::string("not valid YAML: ") + e.msg);
  }
  if (!root || root.IsNull()) throw_input_error(file, "", "empty; expected a hardware description (version: 1, ...)");
  check_known_keys(root, "", file);
  for (const Override& o : overrides) apply_override(root, o, file);

  HardwareSpec hw;
  hw.file = file;
  hw.cim.present = root["cim"].IsDefined() && !root["cim"].IsNull();
  for (const Param& p : schema()) {
    std::string section = section_of(p.path);
    if (kOptionalSections.count(section) && !(root[section] && root[section].IsMap())) continue;
    YAML::Node node = section.empty() ? root[p.path] : root[section][p.path.substr(section.size() + 1)];
    if ((!node || node.IsNull()) && !p.default_value.empty()) node = YAML::Node(p.default_value);
    if (!node || node.IsNull()) throw_input_error(file, p.path, "missing; expected " + p.expected());
    std::string where = p.path;
    for (const Override& o : overrides)
      if (o.first == p.path) where = "--set " + o.first + "=" + o.second;
    p.apply(hw, node, [&](const std::string& what) { throw_input_error(file, where, what); });
  }
  hw.npu.sram_latency_cycles = hw.sram.latency_cycles;
  hw.npu.external_latency_cycles = hw.external.latency_cycles;
  if (hw.cim.present && hw.cim.cols < hw.cim.weight_bits)
    throw_input_error(file, "cim.cols", "must hold at least one weight of cim.weight_bits bits");
  return hw;
}

HardwareSpec load_hardware(const std::string& path, const std::vector<Override>& overrides) {
  return parse_hardware(read_text_file(path), path, overrides);
}

HardwareSummary summarize(const HardwareSpec& hw, double npu_peak_macs_per_cycle) {
  HardwareSummary s;
  const double hz = hw.clock_hz();
  s.npu_peak_tops = 2 * npu_peak_macs_per_cycle * hz / 1e12;
  if (hw.cim.present) {
    s.cim_peak_tops = 2 * cim_peak_macs_per_cycle(hw.cim, 8) * hz / 1e12;  // 8-bit inputs
    s.cim_capacity_kib = hw.cim.capacity_bits() / 8.0 / 1024.0;
    s.cim_sram_gbps = hw.cim.sram_bytes_per_cycle * hz / 1e9;
  }
  s.sram_gbps = hw.sram.total_bytes_per_cycle() * hz / 1e9;
  s.external_gbps = hw.external.bytes_per_cycle * hz / 1e9;
  s.npu_sram_gbps = hw.npu.sram_bytes_per_cycle * hz / 1e9;
  return s;
}

}  // namespace h4h
