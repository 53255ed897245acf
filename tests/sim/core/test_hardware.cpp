// Hardware YAML v1: presets load with their documented values; --set overrides; every error path
// names the file and the key path.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/core/error.h"
#include "sim/core/hardware.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

std::string preset_path(const std::string& name) { return test::source_dir() + "/hwconfigs/" + name + ".yaml"; }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string default_text() { return read(preset_path("h4h-default")); }

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  if (pos != std::string::npos) text.replace(pos, from.size(), to);
  return text;
}

void expect_error(const std::string& text, std::initializer_list<const char*> fragments,
                  const std::vector<Override>& overrides = {}) {
  try {
    parse_hardware(text, "sys.yaml", overrides);
    FAIL() << "no error";
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const char* f : fragments) EXPECT_NE(message.find(f), std::string::npos) << "'" << f << "' not in: " << message;
  }
}

TEST(Hardware, PresetsLoad) {
  for (const char* name : {"ethos-u55-64", "ethos-u55-128", "ethos-u55-256"}) {
    HardwareSpec hw = load_hardware(preset_path(name));
    EXPECT_EQ(hw.name, name);
    EXPECT_FALSE(hw.cim.present);
    EXPECT_EQ(hw.npu.engine, "ethos-u55");
    EXPECT_DOUBLE_EQ(hw.external.bytes_per_cycle, 1.0);
    EXPECT_DOUBLE_EQ(hw.clock_mhz, 500);
  }
  EXPECT_EQ(load_hardware(preset_path("ethos-u55-64")).npu.macs_per_cycle, 64);
  EXPECT_EQ(load_hardware(preset_path("ethos-u55-128")).npu.shram_kb, 24);
  HardwareSpec hw = load_hardware(preset_path("h4h-default"));
  EXPECT_TRUE(hw.cim.present);
  EXPECT_EQ(hw.npu.macs_per_cycle, 256);
  EXPECT_EQ(hw.cim.capacity_bits(), int64_t(hw.cim.macros) * hw.cim.subarrays_per_macro * hw.cim.rows * hw.cim.cols);
}

TEST(Hardware, SummaryDerivesPeakAndBandwidth) {
  HardwareSpec hw = load_hardware(preset_path("ethos-u55-256"));
  HardwareSummary s = summarize(hw, 256);
  EXPECT_NEAR(s.npu_peak_tops, 2 * 256 * 500e6 / 1e12, 1e-9);
  EXPECT_NEAR(s.external_gbps, 0.5, 1e-9);
  EXPECT_NEAR(s.sram_gbps, 4.0, 1e-9);
}

TEST(Hardware, OverridesApplyBeforeValidation) {
  HardwareSpec hw = parse_hardware(default_text(), "d.yaml",
                                   {{"npu.engine", "systolic"}, {"npu.dataflow", "os"}, {"cim.macros", "16"},
                                    {"cim.compute_units", "4"}, {"clock_mhz", "250"}});
  EXPECT_EQ(hw.npu.engine, "systolic");
  EXPECT_EQ(hw.npu.dataflow, Dataflow::OutputStationary);
  EXPECT_EQ(hw.cim.macros, 16);
  EXPECT_EQ(hw.cim.compute_units, 4);
  EXPECT_DOUBLE_EQ(hw.clock_mhz, 250);
  EXPECT_EQ(parse_override("cim.macros=8"), (Override{"cim.macros", "8"}));
  EXPECT_THROW(parse_override("cim.macros"), InputError);
  EXPECT_THROW(parse_override("=3"), InputError);
}

TEST(Hardware, ErrorsNameFileAndKey) {
  const std::string base = default_text();
  expect_error(replace(base, "  macros: 4 ", "  macroz: 4 "), {"sys.yaml", "cim.macroz", "unknown key"});
  expect_error(replace(base, "  banks: 4 ", "  # banks removed\n "), {"sys.yaml", "sram.banks", "missing"});
  expect_error(replace(base, "  macros: 4 ", "  macros: four "), {"cim.macros", "expected an integer"});
  expect_error(replace(base, "  macros: 4 ", "  macros: 2.5 "), {"cim.macros", "expected an integer"});
  expect_error(replace(base, "  macros: 4 ", "  macros: -1 "), {"cim.macros", "out of range"});
  expect_error(replace(base, "  macros: 4 ", "  macros: [1, 2] "), {"cim.macros", "expected"});
  expect_error(replace(base, "  macs_per_cycle: 256", "  macs_per_cycle: 100"), {"npu.macs_per_cycle", "one of 32 64 128 256"});
  expect_error(replace(base, "  engine: ethos-u55", "  engine: tpu"), {"npu.engine", "ethos-u55 systolic"});
  expect_error(replace(base, "version: 1", "version: 2"), {"version", "expected 1"});
  expect_error(replace(base, "clock_mhz: 500", "clock_mhz: .inf"), {"clock_mhz", "out of range"});
  expect_error(replace(base, "npu:\n", "gpu: 3\nnpu:\n"), {"gpu", "unknown key"});
  expect_error(base.substr(0, base.size() / 3), {"sys.yaml"});  // truncated: a section goes missing or breaks
  expect_error("npu: [unclosed", {"sys.yaml", "not valid YAML"});
  expect_error(std::string("\x7f" "ELF\x00\x01\x02", 7), {"sys.yaml", "binary"});
  expect_error("", {"sys.yaml", "empty"});
  expect_error("- 1\n- 2\n", {"sys.yaml", "mapping"});
  expect_error(base, {"sys.yaml", "--set cim.macroz", "unknown hardware key"}, {{"cim.macroz", "3"}});
  expect_error(base, {"--set cim.macros", "out of range"}, {{"cim.macros", "0"}});
  expect_error(read(preset_path("ethos-u55-256")), {"--set cim.macros", "no 'cim' section"}, {{"cim.macros", "8"}});
}

TEST(Hardware, MissingFileIsAnInputError) { EXPECT_THROW(load_hardware("/nonexistent.yaml"), InputError); }

}  // namespace
}  // namespace h4h

namespace h4h {
namespace {

// The memory-system keys of the cycle-level simulator (issue 22).
TEST(Hardware, SramInterleaveAndArbitrationKeys) {
  const std::string base = default_text();
  const HardwareSpec hw = parse_hardware(base, "d.yaml");
  EXPECT_EQ(hw.sram.interleave_bytes, 8);
  EXPECT_EQ(hw.sram.arbitration, SramArbitration::RoundRobin);
  EXPECT_EQ(parse_hardware(base, "d.yaml", {{"sram.interleave_bytes", "4096"}}).sram.interleave_bytes, 4096);
  EXPECT_EQ(parse_hardware(base, "d.yaml", {{"sram.arbitration", "fixed-priority"}}).sram.arbitration,
            SramArbitration::FixedPriority);
  for (const char* bad : {"12", "0", "-8", "2.5", "nan", "2097152"})
    expect_error(base, {"--set sram.interleave_bytes", "power of two"}, {{"sram.interleave_bytes", bad}});
  expect_error(base, {"sram.arbitration", "round-robin fixed-priority"}, {{"sram.arbitration", "lottery"}});
  expect_error(replace(base, "  interleave_bytes: 8 ", "  # interleave removed\n "), {"sram.interleave_bytes", "missing"});
  // A policy key left out takes its documented default.
  EXPECT_EQ(parse_hardware(replace(base, "  arbitration: round-robin", "  # default"), "d.yaml").sram.arbitration,
            SramArbitration::RoundRobin);
}

TEST(Hardware, CimReprogramPolicyAndEndurance) {
  const std::string base = default_text();
  const HardwareSpec hw = parse_hardware(base, "d.yaml");
  EXPECT_EQ(hw.cim.reprogram, CimReprogram::Never);
  EXPECT_DOUBLE_EQ(hw.cim.mram_endurance_writes, 1e6);
  EXPECT_EQ(parse_hardware(base, "d.yaml", {{"cim.reprogram", "per_inference"}}).cim.reprogram, CimReprogram::PerInference);
  EXPECT_EQ(parse_hardware(replace(base, "  reprogram: never", "  # default"), "d.yaml").cim.reprogram, CimReprogram::Never);
  expect_error(base, {"cim.reprogram", "never per_inference"}, {{"cim.reprogram", "sometimes"}});
  expect_error(base, {"cim.mram_endurance_writes", "out of range"}, {{"cim.mram_endurance_writes", "0"}});
}

}  // namespace
}  // namespace h4h
