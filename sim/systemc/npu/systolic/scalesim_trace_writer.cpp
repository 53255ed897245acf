#include "sim/systemc/npu/systolic/scalesim_trace_writer.h"

#include <charconv>
#include <stdexcept>

namespace h4h::cyc {
namespace {

void append_number(std::string& line, int64_t value) {
  char digits[24];
  const auto result = std::to_chars(digits, digits + sizeof(digits), value);
  line.append(digits, result.ptr);
}

}  // namespace

void format_scalesim_trace_line(std::string& line, int64_t cycle, const std::vector<int64_t>& lanes) {
  line.clear();
  append_number(line, cycle);
  for (int64_t address : lanes) {
    line.push_back(',');
    append_number(line, address);
  }
  line.push_back('\n');
}

ScalesimTraceWriter::ScalesimTraceWriter(const std::string& directory) {
  const std::string prefix = directory.empty() || directory.back() == '/' ? directory : directory + "/";
  files_[0] = std::make_unique<AtomicStreamFile>(prefix + kIfmapTraceName);
  files_[1] = std::make_unique<AtomicStreamFile>(prefix + kFilterTraceName);
  files_[2] = std::make_unique<AtomicStreamFile>(prefix + kOfmapTraceName);
}

void ScalesimTraceWriter::append(const SystolicWavefront& wavefront) {
  if (wavefront.cycle() < 0) throw std::logic_error("ScalesimTraceWriter::append: no cycle stepped yet");
  format_scalesim_trace_line(line_, wavefront.read_trace_cycle(), wavefront.ifmap());
  files_[0]->write(line_.data(), line_.size());
  format_scalesim_trace_line(line_, wavefront.read_trace_cycle(), wavefront.filter());
  files_[1]->write(line_.data(), line_.size());
  format_scalesim_trace_line(line_, wavefront.cycle(), wavefront.ofmap());
  files_[2]->write(line_.data(), line_.size());
}

void ScalesimTraceWriter::commit() {
  for (auto& file : files_) file->sync();
  for (auto& file : files_) file->commit();
}

void write_scalesim_sram_traces(SystolicWavefront& wavefront, const std::string& directory) {
  if (wavefront.cycle() >= 0) {
    throw std::logic_error("write_scalesim_sram_traces: the wavefront has already been stepped");
  }
  ScalesimTraceWriter writer(directory);
  while (!wavefront.done()) {
    wavefront.step();
    writer.append(wavefront);
  }
  writer.commit();
}

}  // namespace h4h::cyc
