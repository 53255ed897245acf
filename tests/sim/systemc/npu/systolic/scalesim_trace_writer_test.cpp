// ScalesimTraceWriter: exact text, atomic publication, no leftovers on failure.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "sim/systemc/npu/systolic/scalesim_trace_writer.h"

namespace h4h::cyc {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("h4h_systolic_writer_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int count_entries(const fs::path& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& entry : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(ScalesimTraceWriter, ExactTextOfASinglePeWeightStationaryGemm) {
  const fs::path dir = fresh_dir("exact");
  SystolicWavefront wavefront(gemm_layer_shape(1, 1, 1), {1, 1}, Dataflow::WeightStationary);
  write_scalesim_sram_traces(wavefront, dir.string());
  EXPECT_EQ(slurp(dir / "ifmap_sram_trace.csv"), "1,-1\n2,0\n");
  EXPECT_EQ(slurp(dir / "filter_sram_trace.csv"), "1,10000000\n2,-1\n");
  EXPECT_EQ(slurp(dir / "ofmap_sram_trace.csv"), "0,-1\n1,20000000\n");
  EXPECT_EQ(count_entries(dir), 3);  // no temp files left
  fs::remove_all(dir);
}

TEST(ScalesimTraceWriter, NothingAppearsUntilCommit) {
  const fs::path dir = fresh_dir("commit");
  { std::ofstream(dir / "ofmap_sram_trace.csv") << "old\n"; }
  SystolicWavefront wavefront(gemm_layer_shape(4, 3, 5), {2, 2}, Dataflow::OutputStationary);
  {
    ScalesimTraceWriter writer(dir.string());
    while (!wavefront.done()) {
      wavefront.step();
      writer.append(wavefront);
    }
    EXPECT_EQ(slurp(dir / "ofmap_sram_trace.csv"), "old\n");
    EXPECT_FALSE(fs::exists(dir / "ifmap_sram_trace.csv"));
    writer.commit();
  }
  const std::string ofmap = slurp(dir / "ofmap_sram_trace.csv");
  EXPECT_EQ(ofmap.rfind("0,", 0), 0u);
  EXPECT_EQ(ofmap.back(), '\n');
  EXPECT_EQ(count_entries(dir), 3);
  fs::remove_all(dir);
}

TEST(ScalesimTraceWriter, AbandonedWriterLeavesNothing) {
  const fs::path dir = fresh_dir("abandon");
  {
    SystolicWavefront wavefront(gemm_layer_shape(4, 3, 5), {2, 2}, Dataflow::InputStationary);
    ScalesimTraceWriter writer(dir.string());
    wavefront.step();
    writer.append(wavefront);
  }  // e.g. an exception unwinding before commit()
  EXPECT_EQ(count_entries(dir), 0);
  fs::remove_all(dir);
}

TEST(ScalesimTraceWriter, MissingDirectoryThrows) {
  const fs::path dir = fs::path(::testing::TempDir()) / "h4h_systolic_writer_no_such_dir";
  fs::remove_all(dir);
  SystolicWavefront wavefront(gemm_layer_shape(2, 2, 2), {2, 2}, Dataflow::WeightStationary);
  EXPECT_THROW(write_scalesim_sram_traces(wavefront, dir.string()), std::runtime_error);
  EXPECT_FALSE(fs::exists(dir));
}

TEST(ScalesimTraceWriter, RefusesASteppedWavefrontAndAnUnsteppedAppend) {
  const fs::path dir = fresh_dir("misuse");
  SystolicWavefront wavefront(gemm_layer_shape(2, 2, 2), {2, 2}, Dataflow::WeightStationary);
  {
    ScalesimTraceWriter writer(dir.string());
    EXPECT_THROW(writer.append(wavefront), std::logic_error);
  }
  wavefront.step();
  EXPECT_THROW(write_scalesim_sram_traces(wavefront, dir.string()), std::logic_error);
  EXPECT_EQ(count_entries(dir), 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace h4h::cyc
