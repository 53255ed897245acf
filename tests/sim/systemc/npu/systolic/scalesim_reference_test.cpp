// SystolicWavefront and ScalesimTraceWriter against SCALE-Sim v2's own outputs
// (tests/data/reference/scalesim_traces and scalesim_public.csv, see their README.md files).
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "sim/systemc/npu/systolic/scalesim_trace_writer.h"
#include "sim/systemc/npu/systolic/systolic_wavefront.h"
#include "tests/support/build_paths.h"

namespace h4h::cyc {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(text);
  while (std::getline(in, field, separator)) fields.push_back(field);
  if (!text.empty() && text.back() == separator) fields.emplace_back();
  return fields;
}

// Reads one line without its end (the reference CSVs end lines with "\r\n").
bool read_csv_line(std::istream& in, std::string& line) {
  if (!std::getline(in, line)) return false;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return true;
}

// A CSV with a header row, as maps from column name to field.
std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::string line;
  read_csv_line(in, line);
  const std::vector<std::string> header = split(line, ',');
  std::vector<std::map<std::string, std::string>> rows;
  while (read_csv_line(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line, ',');
    EXPECT_EQ(fields.size(), header.size()) << path << ": " << line;
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size() && i < fields.size(); ++i) row[header[i]] = fields[i];
    rows.push_back(row);
  }
  return rows;
}

int64_t as_int(const std::string& field) { return std::stoll(field); }

Dataflow parse_dataflow(const std::string& name) {
  if (name == "os") return Dataflow::OutputStationary;
  if (name == "ws") return Dataflow::WeightStationary;
  if (name == "is") return Dataflow::InputStationary;
  ADD_FAILURE() << "unknown dataflow " << name;
  return Dataflow::OutputStationary;
}

// Every line of a file (plain or gzip; zlib reads both), each with its '\n'.
std::vector<std::string> read_lines(const std::string& path) {
  std::vector<std::string> lines;
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) {
    ADD_FAILURE() << "cannot open " << path;
    return lines;
  }
  std::string line;
  char chunk[4096];
  while (gzgets(file, chunk, sizeof(chunk)) != nullptr) {
    line += chunk;
    if (!line.empty() && line.back() == '\n') {
      lines.push_back(line);
      line.clear();
    }
  }
  if (!line.empty()) lines.push_back(line);  // a last line without '\n' (compared, so it fails)
  gzclose(file);
  return lines;
}

struct LayerRun {
  int64_t total_cycles = 0;  // the cycle() of the last step
  int64_t steps = 0;
  SystolicWavefront::ScalesimAccessCounts reported;
};

LayerRun run_to_end(SystolicWavefront& wavefront) {
  LayerRun run;
  while (!wavefront.done()) {
    wavefront.step();
    ++run.steps;
  }
  run.total_cycles = wavefront.cycle();
  run.reported = wavefront.scalesim_counts();
  return run;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("h4h_systolic_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

int64_t count_entries(const std::vector<std::string>& lines) {
  int64_t entries = 0;
  for (const std::string& line : lines) {
    std::vector<std::string> fields = split(line.substr(0, line.size() - 1), ',');
    for (size_t i = 1; i < fields.size(); ++i) entries += fields[i] != "-1";
  }
  return entries;
}

TEST(ScalesimReference, TracesMatchLineForLine) {
  const std::string dir = h4h::test::reference_dir() + "/scalesim_traces";
  const auto runs = read_csv(dir + "/index.csv");
  ASSERT_EQ(runs.size(), 45u);
  for (const auto& run : runs) {
    const std::string id = run.at("trace_id");
    SCOPED_TRACE(id);
    const std::vector<std::string> params = split(run.at("params"), ' ');
    SystolicLayerShape shape;
    if (run.at("kind") == "gemm") {
      ASSERT_EQ(params.size(), 3u);
      shape = gemm_layer_shape(as_int(params[0]), as_int(params[1]), as_int(params[2]));
    } else {
      ASSERT_EQ(params.size(), 7u);
      shape = {as_int(params[0]), as_int(params[1]), as_int(params[2]), as_int(params[3]),
               as_int(params[4]), as_int(params[5]), as_int(params[6])};
    }
    SystolicWavefront wavefront(shape, {as_int(run.at("array_rows")), as_int(run.at("array_cols"))},
                                parse_dataflow(run.at("dataflow")));
    const fs::path out = fresh_dir(id);
    write_scalesim_sram_traces(wavefront, out.string());

    size_t reference_lines = 0;
    const int64_t accesses[] = {wavefront.ifmap_reads(), wavefront.filter_reads(), wavefront.ofmap_writes()};
    int port = 0;
    for (const char* name : {ScalesimTraceWriter::kIfmapTraceName, ScalesimTraceWriter::kFilterTraceName,
                             ScalesimTraceWriter::kOfmapTraceName}) {
      const std::vector<std::string> ours = read_lines((out / name).string());
      const std::vector<std::string> theirs = read_lines(dir + "/" + id + "." + name + ".gz");
      ASSERT_EQ(ours.size(), theirs.size()) << name;
      for (size_t i = 0; i < ours.size(); ++i) {
        ASSERT_EQ(ours[i], theirs[i]) << name << " line " << i + 1;
      }
      reference_lines = theirs.size();
      EXPECT_EQ(count_entries(theirs), accesses[port++]) << name;
      if (std::string(name) == ScalesimTraceWriter::kOfmapTraceName) {
        // Total Cycles is the ofmap trace's last cycle stamp: its line count minus one.
        EXPECT_EQ(theirs.back().substr(0, theirs.back().find(',')), run.at("total_cycles"));
      }
    }
    EXPECT_EQ(as_int(run.at("total_cycles")), static_cast<int64_t>(reference_lines) - 1);
    EXPECT_EQ(wavefront.cycle(), as_int(run.at("total_cycles")));
    const auto reported = wavefront.scalesim_counts();
    EXPECT_EQ(reported.ifmap_sram_reads, as_int(run.at("ifmap_sram_reads")));
    EXPECT_EQ(reported.filter_sram_reads, as_int(run.at("filter_sram_reads")));
    EXPECT_EQ(reported.ofmap_sram_writes, as_int(run.at("ofmap_sram_writes")));
    // No window overhangs in these shapes: every read SCALE-Sim counts is in the trace.
    EXPECT_EQ(wavefront.ifmap_reads(), reported.ifmap_sram_reads);
    EXPECT_EQ(wavefront.filter_reads(), reported.filter_sram_reads);
    if (run.at("dataflow") != "os") {
      EXPECT_EQ(wavefront.ofmap_writes(), reported.ofmap_sram_writes);
    }
    fs::remove_all(out);
  }
}

TEST(ScalesimReference, PublicRunsCyclesAndCounts) {
  const auto rows = read_csv(h4h::test::reference_dir() + "/scalesim_public.csv");
  ASSERT_EQ(rows.size(), 78u);
  for (const auto& row : rows) {
    SCOPED_TRACE(row.at("case_id") + " " + row.at("array_rows") + "x" + row.at("array_cols") + " " +
                 row.at("dataflow"));
    SystolicLayerShape shape;
    if (row.at("kind") == "gemm") {
      shape = gemm_layer_shape(as_int(row.at("m")), as_int(row.at("n")), as_int(row.at("k")));
    } else {
      ASSERT_EQ(row.at("kind"), "conv2d");
      shape = {as_int(row.at("ifmap_h")),  as_int(row.at("ifmap_w")),  as_int(row.at("filter_h")),
               as_int(row.at("filter_w")), as_int(row.at("channels")), as_int(row.at("num_filters")),
               as_int(row.at("stride"))};
    }
    SystolicWavefront wavefront(shape, {as_int(row.at("array_rows")), as_int(row.at("array_cols"))},
                                parse_dataflow(row.at("dataflow")));
    const LayerRun run = run_to_end(wavefront);
    EXPECT_EQ(run.total_cycles, as_int(row.at("scalesim_cycles")));
    EXPECT_EQ(run.steps, run.total_cycles + 1);
    EXPECT_EQ(run.reported.ifmap_sram_reads, as_int(row.at("ifmap_sram_reads")));
    EXPECT_EQ(run.reported.filter_sram_reads, as_int(row.at("filter_sram_reads")));
    EXPECT_EQ(run.reported.ofmap_sram_writes, as_int(row.at("ofmap_sram_writes")));
  }
}

}  // namespace
}  // namespace h4h::cyc
