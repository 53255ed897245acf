// The systolic NPU through the whole clocked system (lowering, SoC, memories): every reference run
// of tests/data/reference/scalesim_traces/index.csv, simulated as a one-layer workload on
// ethos-u55-256 with npu.engine=systolic and the run's array, writes the three SCALE-Sim v2 traces
// equal to the reference line for line (what `h4h simulate --sram-trace DIR` writes).
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/mapping.h"
#include "tests/sim/systemc/cycle_child.h"
#include "tests/support/build_paths.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, sep)) out.push_back(item);
  return out;
}

std::string gunzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  if (!f) return "";
  std::string out;
  char buf[1 << 16];
  int n = 0;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, size_t(n));
  gzclose(f);
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The workload one index row describes: conv "H W FH FW C F S" (no padding) or gemm "M N K".
Workload row_workload(const std::string& kind, const std::vector<std::string>& p) {
  if (kind == "gemm")
    return test::workload(R"({"name": "layer", "op": "linear", "tokens": )" + p[0] + R"(, "in_features": )" + p[2] +
                          R"(, "out_features": )" + p[1] + R"(, "bias": false})");
  return test::workload(R"({"name": "layer", "op": "conv2d", "input": [)" + p[0] + ", " + p[1] + ", " + p[4] +
                        R"(], "out_channels": )" + p[5] + R"(, "kernel": [)" + p[2] + ", " + p[3] + R"(], "stride": [)" +
                        p[6] + ", " + p[6] + R"(], "padding": "valid", "bias": false})");
}

TEST(ScalesimTraces, EveryReferenceRunEqualsScaleSimThroughTheSoc) {
  const std::string dir = test::reference_dir() + "/scalesim_traces";
  std::ifstream index(dir + "/index.csv");
  ASSERT_TRUE(index) << dir;
  std::string line;
  std::getline(index, line);  // header
  int runs = 0;
  const std::string out_root = std::filesystem::temp_directory_path() / ("h4h_sram_trace_" + std::to_string(getpid()));
  while (std::getline(index, line)) {
    const std::vector<std::string> f = split(line, ',');
    ASSERT_GE(f.size(), 6u) << line;
    const std::string id = f[0], kind = f[1];
    SCOPED_TRACE(id);
    const Workload w = row_workload(kind, split(f[2], ' '));
    const HardwareSpec hw = test::preset("ethos-u55-256", {{"npu.engine", "systolic"}, {"npu.array_rows", f[3]},
                                                           {"npu.array_cols", f[4]}, {"npu.dataflow", f[5]}});
    CycleSimOptions options;
    options.sram_trace_dir = out_root + "/" + id;
    const test::SimOutcome sim = test::simulate_cycle(w, hw, mapping_all(w, Unit::Npu, "npu-only"), options);
    ASSERT_TRUE(sim.ok) << sim.reason;
    for (const char* trace : {"ifmap", "filter", "ofmap"}) {
      const std::string expected = gunzip(dir + "/" + id + "." + trace + "_sram_trace.csv.gz");
      const std::string got = read_file(options.sram_trace_dir + "/layer/" + trace + "_sram_trace.csv");
      ASSERT_FALSE(expected.empty());
      EXPECT_TRUE(got == expected) << trace << ": " << got.size() << " bytes written, " << expected.size()
                                   << " expected";
    }
    ++runs;
  }
  std::filesystem::remove_all(out_root);
  EXPECT_EQ(runs, 45);
}

}  // namespace
}  // namespace h4h
