// End-to-end tests of the h4h binary: the interfaces docs/formats.md promises to users and scripts (the
// result JSON, mapping files, CSV) and its exit codes (0 success, 2 bad input with a message naming
// the file and the key or layer, nothing on stdout and no output file left behind).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/run.h"
#include "tests/support/build_paths.h"
#include "tests/support/repo_files.h"

namespace h4h::test {
namespace {

using nlohmann::json;

const std::string kDefaultHw = preset_file("h4h-default");
const std::string kU55Hw = preset_file("ethos-u55-256");
const std::string kTinyWorkload = tiny_workload_text();

RunResult h4h(std::vector<std::string> args, double timeout_s = 60) {
  return run_h4h(std::move(args), timeout_s);
}

// Runs h4h expecting exit code 0 and JSON on stdout; returns it (null, with a failure, otherwise).
json h4h_json(const std::vector<std::string>& args) {
  RunResult r = h4h(args);
  EXPECT_TRUE(r.exited() && r.exit_code == 0) << r.describe();
  try {
    return json::parse(r.out);
  } catch (const json::exception& e) {
    ADD_FAILURE() << "stdout is not JSON (" << e.what() << "): " << r.out.substr(0, 500);
    return json();
  }
}

json estimate_json(const std::string& model, const std::string& mapping, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args = {"estimate", "--model", model, "--hw", kDefaultHw, "--mapping", mapping, "--json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return h4h_json(args);
}

// Exit code 2, nothing on stdout, and stderr naming every fragment (file, key or layer, ...).
void expect_bad_input(const RunResult& r, std::initializer_list<std::string> fragments) {
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 2) << r.describe();
  EXPECT_TRUE(r.out.empty()) << "stdout: " << r.out.substr(0, 300);
  for (const std::string& f : fragments) EXPECT_NE(r.err.find(f), std::string::npos) << "'" << f << "' not in stderr: " << r.err;
}

// `h4h estimate ARGS --json --csv OUT/result.csv` must be rejected as bad input and leave OUT empty.
void expect_estimate_rejected(std::vector<std::string> args, std::initializer_list<std::string> fragments) {
  TempDir out;
  args.insert(args.begin(), "estimate");
  args.insert(args.end(), {"--json", "--csv", out.file("result.csv")});
  expect_bad_input(h4h(args), fragments);
  EXPECT_TRUE(out.entries().empty()) << "a failing run left a file behind: " << out.entries().front();
}

bool has_path(const json& j, const std::string& dotted) {
  const json* node = &j;
  std::stringstream ss(dotted);
  for (std::string key; std::getline(ss, key, '.');) {
    if (!node->is_object() || !node->contains(key)) return false;
    node = &node->at(key);
  }
  return true;
}

bool near_rel(double a, double b, double rel) { return std::fabs(a - b) <= rel * std::max({std::fabs(a), std::fabs(b), 1.0}); }

// ---------------------------------------------------------------------------------------------
// model

TEST(CliModel, ListNamesTheFiveZooModels) {
  RunResult r = h4h({"model", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* name : {"mobilenet_v2", "mobilenet_v3_large", "resnet18", "deit_tiny", "nasvit_a0"})
    EXPECT_NE(r.out.find(name), std::string::npos) << name << " not listed:\n" << r.out;
}

TEST(CliModel, ShowJsonGivesMobileNetV2PublishedMacs) {
  json j = h4h_json({"model", "show", "mobilenet_v2", "--json"});
  ASSERT_TRUE(has_path(j, "total.macs")) << j.dump().substr(0, 300);
  EXPECT_NEAR(j["total"]["macs"].get<double>(), 300.8e6, 0.02 * 300.8e6);
  EXPECT_EQ(j["name"], "mobilenet_v2");
  ASSERT_TRUE(j["layers"].is_array());
  EXPECT_EQ(j["layers"].size(), j["total"]["layers"].get<size_t>());
}

TEST(CliModel, ExportedWorkloadReadsBackWithSameCounts) {
  TempDir dir;
  const std::string file = dir.file("resnet18.json");
  RunResult r = h4h({"model", "export", "resnet18", "-o", file});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  json exported = json::parse(read_file(file));
  EXPECT_EQ(exported["version"], 1);
  EXPECT_EQ(exported["name"], "resnet18");
  json zoo = h4h_json({"model", "show", "resnet18", "--json"});
  json back = h4h_json({"model", "show", file, "--json"});
  ASSERT_TRUE(has_path(zoo, "total.macs") && has_path(back, "total.macs"));
  EXPECT_EQ(back["total"]["macs"], zoo["total"]["macs"]);
  EXPECT_EQ(back["total"]["params"], zoo["total"]["params"]);
  EXPECT_EQ(back["total"]["layers"], zoo["total"]["layers"]);
  EXPECT_EQ(dir.entries().size(), 1u) << "export left a temporary file behind";
}

// ---------------------------------------------------------------------------------------------
// estimate

TEST(CliEstimate, ResultJsonHasDesignKeysAndAddsUp) {
  json r = estimate_json("nasvit_a0", "rule");
  for (const char* key : {"evaluator", "workload", "hw", "clock_hz", "total.cycles", "total.latency_ms", "total.energy_pj",
                          "total.macs", "total.params", "units.npu.busy_cycles", "units.cim.busy_cycles", "layers", "mapping"})
    ASSERT_TRUE(has_path(r, key)) << "no " << key << " in the result JSON";
  EXPECT_EQ(r["evaluator"], "analytical");
  EXPECT_EQ(r["workload"], "nasvit_a0");
  EXPECT_EQ(r["hw"], "h4h-default");
  ASSERT_TRUE(r["layers"].is_array());
  ASSERT_FALSE(r["layers"].empty());

  int64_t macs = 0, max_end = 0;
  int on_cim = 0;
  for (const json& l : r["layers"]) {
    const std::string name = l.value("name", "?");
    for (const char* key : {"name", "op", "unit", "macs", "compute_cycles", "start_cycle", "end_cycle", "cycles", "energy_pj",
                            "energy_breakdown_pj.mac", "energy_breakdown_pj.sram", "energy_breakdown_pj.external",
                            "energy_breakdown_pj.mram_read", "energy_breakdown_pj.mram_write"})
      ASSERT_TRUE(has_path(l, key)) << "layer " << name << " has no " << key;
    const std::string unit = l["unit"];
    EXPECT_TRUE(unit == "npu" || unit == "cim" || unit == "npu+cim") << name << ": unit " << unit;
    on_cim += unit != "npu";
    macs += l["macs"].get<int64_t>();
    const int64_t start = l["start_cycle"], end = l["end_cycle"], cycles = l["cycles"];
    EXPECT_EQ(end - start, cycles) << name;
    EXPECT_GE(start, 0) << name;
    EXPECT_LE(l["compute_cycles"].get<int64_t>(), cycles) << name;
    max_end = std::max(max_end, end);
    double parts = 0;
    for (const auto& [part, pj] : l["energy_breakdown_pj"].items()) {
      EXPECT_GE(pj.get<double>(), 0) << name << " " << part;
      parts += pj.get<double>();
    }
    EXPECT_TRUE(near_rel(l["energy_pj"].get<double>(), parts, 1e-6)) << name << ": " << l["energy_pj"] << " vs " << parts;
  }
  const json& total = r["total"];
  EXPECT_EQ(macs, total["macs"].get<int64_t>());
  EXPECT_EQ(max_end, total["cycles"].get<int64_t>());
  EXPECT_TRUE(near_rel(total["latency_ms"].get<double>(), total["cycles"].get<double>() / r["clock_hz"].get<double>() * 1e3, 1e-9));
  EXPECT_GT(total["energy_pj"].get<double>(), 0);
  EXPECT_GE(on_cim, 1) << "the rule mapping put no layer on the CIM";
  EXPECT_GT(r["units"]["cim"]["busy_cycles"].get<int64_t>(), 0);

  // The same workload as `model show` counts it.
  json shown = h4h_json({"model", "show", "nasvit_a0", "--json"});
  EXPECT_EQ(total["macs"], shown["total"]["macs"]);
  EXPECT_EQ(total["params"], shown["total"]["params"]);

  // The mapping used, one entry per layer.
  const json& mapping = r["mapping"];
  EXPECT_EQ(mapping["version"], 1);
  ASSERT_TRUE(mapping["layers"].is_object());
  EXPECT_EQ(mapping["layers"].size(), r["layers"].size());
}

TEST(CliEstimate, NpuOnlyMappingLeavesTheCimIdle) {
  json r = estimate_json("nasvit_a0", "npu-only");
  ASSERT_TRUE(r["layers"].is_array());
  for (const json& l : r["layers"]) EXPECT_EQ(l["unit"], "npu") << l["name"];
  EXPECT_EQ(r["units"]["cim"]["busy_cycles"], 0);
}

TEST(CliEstimate, SystolicEngineOverrideChangesCycles) {
  json base = estimate_json("nasvit_a0", "rule");
  json systolic = estimate_json("nasvit_a0", "rule", {"--set", "npu.engine=systolic", "--set", "npu.dataflow=ws"});
  ASSERT_TRUE(has_path(base, "total.cycles") && has_path(systolic, "total.cycles"));
  EXPECT_NE(base["total"]["cycles"], systolic["total"]["cycles"]);
}

TEST(CliEstimate, MoreCimMacrosDoNotSlowTheRuleMapping) {
  json base = estimate_json("nasvit_a0", "rule");
  json more = estimate_json("nasvit_a0", "rule", {"--set", "cim.macros=16"});
  ASSERT_TRUE(has_path(base, "total.cycles") && has_path(more, "total.cycles"));
  EXPECT_LE(more["total"]["cycles"].get<int64_t>(), base["total"]["cycles"].get<int64_t>());
}

TEST(CliEstimate, CsvHasAHeaderAndOneRowPerLayer) {
  TempDir dir;
  const std::string csv = dir.file("layers.csv");
  json r = estimate_json("nasvit_a0", "rule", {"--csv", csv});
  ASSERT_TRUE(r["layers"].is_array());
  std::stringstream in(read_file(csv));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  ASSERT_EQ(lines.size(), r["layers"].size() + 1);
  EXPECT_EQ(lines[0].rfind("name,op,unit,", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(",cycles,"), std::string::npos) << lines[0];
  for (size_t i = 0; i < r["layers"].size(); ++i)
    EXPECT_EQ(lines[i + 1].substr(0, lines[i + 1].find(',')), r["layers"][i]["name"].get<std::string>());
  EXPECT_EQ(dir.entries().size(), 1u) << "the CSV writer left a temporary file behind";
}

TEST(CliEstimate, PrintedMappingFedBackReproducesTheResult) {
  TempDir dir;
  json first = estimate_json("nasvit_a0", "rule");
  ASSERT_TRUE(has_path(first, "mapping.layers"));
  const std::string file = dir.file("mapping.json");
  write_file(file, first["mapping"].dump(1));
  json again = estimate_json("nasvit_a0", file);
  ASSERT_TRUE(has_path(again, "total.cycles"));
  EXPECT_EQ(again["total"]["cycles"], first["total"]["cycles"]);
  EXPECT_TRUE(near_rel(again["total"]["energy_pj"].get<double>(), first["total"]["energy_pj"].get<double>(), 1e-9));
  EXPECT_EQ(again["mapping"]["layers"], first["mapping"]["layers"]);
}

// ---------------------------------------------------------------------------------------------
// hw

TEST(CliHw, ShowJsonGivesDerivedFigures) {
  json j = h4h_json({"hw", "show", kDefaultHw, "--json"});
  ASSERT_TRUE(has_path(j, "npu.peak_tops") && has_path(j, "cim.capacity_kib"));
  EXPECT_NEAR(j["npu"]["peak_tops"].get<double>(), 0.256, 1e-12);
  EXPECT_GT(j["cim"]["capacity_kib"].get<double>(), 0);

  json u55 = h4h_json({"hw", "show", kU55Hw, "--json"});
  EXPECT_NEAR(u55.value("npu", json::object()).value("peak_tops", 0.0), 0.256, 1e-12);
  EXPECT_FALSE(u55.contains("cim")) << "an NPU-only system shows a CIM";
}

// ---------------------------------------------------------------------------------------------
// usage

TEST(CliUsage, NoSubcommandIsAUsageError) {
  RunResult r = h4h({});
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(r.err.empty());
}

TEST(CliUsage, HelpSucceedsAndListsSubcommands) {
  RunResult r = h4h({"--help"});
  ASSERT_EQ(r.exit_code, 0) << r.describe();
  for (const char* sub : {"model", "hw", "estimate"}) EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
}

TEST(CliUsage, UnknownSubcommandAndMissingHwAreUsageErrors) {
  expect_bad_input(h4h({"nosuchcommand"}), {});
  expect_bad_input(h4h({"model"}), {});
  expect_estimate_rejected({"--model", "nasvit_a0"}, {"--hw"});
}

// ---------------------------------------------------------------------------------------------
// bad input: exit 2, the message names the file and the key or layer, no output left behind

TEST(CliBadInput, UnknownModelListsTheKnownNames) {
  expect_bad_input(h4h({"model", "show", "no_such_model"}), {"no_such_model", "mobilenet_v2", "nasvit_a0"});
  expect_estimate_rejected({"--model", "no_such_model", "--hw", kDefaultHw}, {"no_such_model", "resnet18", "deit_tiny"});
  TempDir dir;
  write_file(dir.file("old.json"), "old");
  expect_bad_input(h4h({"model", "export", "no_such_model", "-o", dir.file("old.json")}), {"no_such_model", "resnet18"});
  EXPECT_EQ(read_file(dir.file("old.json")), "old") << "a failed export touched its output file";
  EXPECT_EQ(dir.entries().size(), 1u);
}

TEST(CliBadInput, MissingWorkloadFile) {
  TempDir dir;
  const std::string missing = dir.file("missing.json");
  expect_estimate_rejected({"--workload", missing, "--hw", kDefaultHw}, {missing, "cannot read"});
  expect_bad_input(h4h({"model", "show", missing}), {missing, "cannot read"});
}

TEST(CliBadInput, TruncatedWorkloadJson) {
  TempDir dir;
  const std::string file = dir.file("truncated.json");
  write_file(file, std::string(kTinyWorkload).substr(0, 200));
  expect_estimate_rejected({"--workload", file, "--hw", kDefaultHw}, {file, "JSON"});
  expect_bad_input(h4h({"model", "show", file}), {file});
}

TEST(CliBadInput, BinaryGarbageAsWorkloadAndAsHardware) {
  TempDir dir;
  const std::string file = dir.file("garbage.bin");
  std::mt19937 rng(7);
  std::string bytes(4096, '\0');
  for (char& c : bytes) c = static_cast<char>(rng() & 0xff);
  write_file(file, bytes);
  expect_estimate_rejected({"--workload", file, "--hw", kDefaultHw}, {file});
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", file}, {file});
  expect_bad_input(h4h({"model", "show", file}), {file});
  expect_bad_input(h4h({"hw", "show", file}), {file});
}

TEST(CliBadInput, UnknownHardwareKey) {
  TempDir dir;
  const std::string file = dir.file("hw.yaml");
  std::string yaml = read_file(kDefaultHw);
  const size_t at = yaml.find("  shram_kb:");
  ASSERT_NE(at, std::string::npos);
  yaml.insert(at, "  bogus_knob: 3\n");
  write_file(file, yaml);
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", file}, {file, "npu.bogus_knob", "unknown"});
  expect_bad_input(h4h({"hw", "show", file}), {file, "npu.bogus_knob"});
}

TEST(CliBadInput, BadOverrides) {
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kDefaultHw, "--set", "cim.macros=0"},
                           {"h4h-default.yaml", "cim.macros", "range"});
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kDefaultHw, "--set", "nosuch.key=1"},
                           {"h4h-default.yaml", "nosuch.key"});
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kU55Hw, "--set", "cim.macros=4"},
                           {"ethos-u55-256.yaml", "cim.macros"});
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kDefaultHw, "--set", "cim.macros"}, {"cim.macros", "KEY=VALUE"});
}

TEST(CliBadInput, CimOnlyNamesTheLayersTheCimCannotTake) {
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kDefaultHw, "--mapping", "cim-only"},
                           {"cim-only", "(add)", "features.3.add"});
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kU55Hw, "--mapping", "cim-only"}, {"cim-only", "no CIM"});
}

TEST(CliBadInput, UnknownMappingSchema) {
  expect_estimate_rejected({"--model", "mobilenet_v2", "--hw", kDefaultHw, "--mapping", "nonsense"},
                           {"nonsense", "npu-only", "rule"});
}

TEST(CliBadInput, MappingFileWithUnknownLayerOrBadFractions) {
  TempDir dir;
  const std::string unknown = dir.file("unknown.json"), fractions = dir.file("fractions.json");
  write_file(unknown, R"({"version": 1, "layers": {"stem": "npu", "no_such_layer": "cim"}})");
  write_file(fractions, R"({"version": 1, "layers": {"qkv": {"npu": 0.5, "cim": 0.3}}})");
  const std::string net = dir.file("tiny.json");
  write_file(net, kTinyWorkload);
  expect_estimate_rejected({"--workload", net, "--hw", kDefaultHw, "--mapping", unknown}, {unknown, "no_such_layer"});
  expect_estimate_rejected({"--workload", net, "--hw", kDefaultHw, "--mapping", fractions}, {fractions, "qkv", "add up to 1"});
}

TEST(CliBadInput, DanglingInputsName) {
  TempDir dir;
  std::string text = kTinyWorkload;
  const size_t at = text.find(R"("inputs": ["qkv", "dw1"])");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string(R"("inputs": ["qkv", "dw1"])").size(), R"("inputs": ["qkv", "ghost"])");
  const std::string file = dir.file("dangling.json");
  write_file(file, text);
  expect_estimate_rejected({"--workload", file, "--hw", kDefaultHw}, {file, "res", "inputs", "ghost"});
}

TEST(CliBadInput, AbsurdLayerSizesAreRejectedNotOverflowed) {
  // Every typed number is within its own limit, but the products (output elements, MACs, weights)
  // overflow 64-bit integers.
  TempDir dir;
  const std::string file = dir.file("huge.json");
  write_file(file, R"({"version": 1, "name": "huge", "layers": [
    {"name": "big_conv", "op": "conv2d", "input": [65536, 65536, 1], "out_channels": 1048576, "kernel": [1024, 1024]}]})");
  expect_estimate_rejected({"--workload", file, "--hw", kDefaultHw}, {file, "big_conv"});
  expect_bad_input(h4h({"model", "show", file}), {file, "big_conv"});
  write_file(file, R"({"version": 1, "name": "huge", "layers": [
    {"name": "wide", "op": "conv2d", "input": [8, 8, 1048576], "out_channels": 1048576, "kernel": [1024, 1024]}]})");
  expect_estimate_rejected({"--workload", file, "--hw", kDefaultHw}, {file, "wide"});
}

TEST(CliOutput, UnwritableCsvPathFailsWithoutOutput) {
  TempDir dir;
  const std::string csv = dir.file("no/such/dir/layers.csv");
  RunResult r = h4h({"estimate", "--model", "mobilenet_v2", "--hw", kDefaultHw, "--json", "--csv", csv});
  ASSERT_TRUE(r.exited()) << r.describe();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(csv), std::string::npos) << r.err;
  EXPECT_TRUE(dir.entries().empty());
}

// ---------------------------------------------------------------------------------------------
// robustness: malformed files end in exit code 0 or 2, never in a signal or a hang

std::string printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s.substr(0, 600)) {
    if (c == '\n') out += "\\n";
    else if (c >= 32 && c < 127) out += static_cast<char>(c);
    else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  return out + (s.size() > 600 ? "..." : "");
}

std::string random_bytes(std::mt19937& rng) {
  std::string s(rng() % 512, '\0');
  const bool text = rng() % 2;
  for (char& c : s) c = static_cast<char>(text ? 32 + rng() % 95 : rng() & 0xff);
  return s;
}

// Replaces the number at or after `at` (wrapping around; digits inside names such as "conv2d" do
// not count) with one of `values`.
void replace_number(std::string& s, size_t at, const std::vector<const char*>& values, std::mt19937& rng) {
  auto number_at = [&](size_t from) {
    for (size_t i = s.find_first_of("0123456789", from); i != std::string::npos; i = s.find_first_of("0123456789", i + 1))
      if (i == 0 || !(std::isalnum(static_cast<unsigned char>(s[i - 1])) || s[i - 1] == '_' || s[i - 1] == '.')) return i;
    return std::string::npos;
  };
  size_t begin = number_at(at);
  if (begin == std::string::npos) begin = number_at(0);
  if (begin == std::string::npos) return;
  size_t end = s.find_first_not_of("0123456789.", begin);
  if (end == std::string::npos) end = s.size();
  s.replace(begin, end - begin, values[rng() % values.size()]);
}

// One to three random edits of `seed`. Half the cases only swap numbers for other (often extreme
// but well-formed) values, so that they get past the parser into validation and the evaluator;
// the rest flip bytes, delete, insert structural characters, truncate and duplicate.
std::string mutate(std::string s, std::mt19937& rng) {
  static const std::vector<const char*> kWellFormed = {"0", "1", "2", "3", "5", "7", "16", "64", "1024", "65536", "65537", "1048576",
                                                       "4294967296", "9223372036854775807", "18446744073709551616", "-1",
                                                       "1.5", "1e308", "-0", "1e-300"};
  static const std::vector<const char*> kAny = {"nan", ".inf", "-.inf", "0x10", "1e", "--1", "~", "null", "[]", "{}"};
  static const std::string kAlphabet = "{}[]:,\"'-0123456789.eE \n\t#&*!|>?%@`\\";
  const int edits = 1 + int(rng() % 3);
  const bool numbers_only = rng() % 2;
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    if (numbers_only) {
      replace_number(s, at, kWellFormed, rng);
      continue;
    }
    switch (rng() % 7) {
      case 0: s[at] = static_cast<char>(rng() & 0xff); break;
      case 1: s.erase(at, 1 + rng() % 16); break;
      case 2:
        for (int i = 1 + int(rng() % 8); i > 0; --i) s.insert(s.begin() + long(at), kAlphabet[rng() % kAlphabet.size()]);
        break;
      case 3: s.resize(at); break;
      case 4: s.insert(at, s.substr(rng() % s.size(), 1 + rng() % 64)); break;
      case 5: replace_number(s, at, kAny, rng); break;
      default: replace_number(s, at, kWellFormed, rng);
    }
  }
  return s;
}

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// 200 cases of each kind with a fixed seed; H4H_FUZZ_CASES and H4H_FUZZ_SEED run a longer campaign.
TEST(CliFuzz, MalformedWorkloadAndHardwareFilesNeverCrash) {
  TempDir dir;
  const int cases = env_int("H4H_FUZZ_CASES", 200);
  std::mt19937 rng(static_cast<unsigned>(env_int("H4H_FUZZ_SEED", 20240607)));
  const std::string hw_seed = read_file(kDefaultHw);
  const std::string tiny = dir.file("tiny.json");
  write_file(tiny, kTinyWorkload);
  const auto start = std::chrono::steady_clock::now();
  int runs = 0, accepted = 0;
  for (int i = 0; i < cases; ++i) {
    for (bool hw : {false, true}) {
      const std::string text = i % 5 == 0 ? random_bytes(rng) : mutate(hw ? hw_seed : kTinyWorkload, rng);
      const std::string file = dir.file(hw ? "hw.yaml" : "net.json");
      write_file(file, text);
      RunResult r = hw ? h4h({"hw", "show", file, "--json"}, 10) : h4h({"model", "show", file, "--json"}, 10);
      ++runs;
      const std::string what = std::string(hw ? "hw show" : "model show") + " case " + std::to_string(i) + ": " +
                               r.describe() + "\ninput: " + printable(text);
      ASSERT_TRUE(r.exited()) << what;
      ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 2) << what;
      if (r.exit_code == 2) {
        EXPECT_EQ(r.out, "") << what;
        EXPECT_NE(r.err.find(file), std::string::npos) << "the message does not name the file; " << what;
        continue;
      }
      ++accepted;
      EXPECT_FALSE(json::parse(r.out, nullptr, false).is_discarded()) << "stdout is not JSON; " << what;
      // What loads must also estimate (or be rejected as bad input), with sane totals: a mutated
      // workload on the default system, the tiny workload on a mutated system.
      RunResult est = h4h({"estimate", "--workload", hw ? tiny : file, "--hw", hw ? file : kDefaultHw, "--json"}, 10);
      ++runs;
      const std::string est_what = std::string(hw ? "estimate on a mutated system" : "estimate of a mutated workload") + ", case " + std::to_string(i) + ": " + est.describe() + "\ninput: " + printable(text);
      ASSERT_TRUE(est.exited()) << est_what;
      ASSERT_TRUE(est.exit_code == 0 || est.exit_code == 2) << est_what;
      if (est.exit_code != 0) continue;
      json j = json::parse(est.out, nullptr, false);
      ASSERT_FALSE(j.is_discarded()) << est_what;
      EXPECT_GE(j["total"]["cycles"].get<int64_t>(), 0) << est_what;
      EXPECT_GE(j["total"]["macs"].get<int64_t>(), 0) << est_what;
      const double energy = j["total"]["energy_pj"].get<double>();
      EXPECT_TRUE(std::isfinite(energy) && energy >= 0) << est_what;
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ fuzz     ] " << runs << " runs (" << accepted << " inputs accepted) in " << seconds << " s\n";
}

}  // namespace
}  // namespace h4h::test
