#include "sim/systemc/cim/cim_params.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace h4h::cyc {

CimSimParams default_cim_params(const HardwareSpec& hw) {
  CimSimParams p;
  p.sram_piece_bytes = std::max(1, int(hw.cim.sram_bytes_per_cycle));
  p.max_outstanding_reads = std::max(1, hw.sram.latency_cycles + 8);
  p.dma_piece_bytes = std::max(1, hw.external.burst_bytes);
  p.max_outstanding_dma = std::max(1, hw.external.max_outstanding);
  return p;
}

void validate_cim_params(const CimSimParams& p) {
  auto check = [](int64_t v, const char* name) {
    if (v < 1) throw std::invalid_argument(std::string("CimSimParams.") + name + " must be >= 1");
  };
  check(p.input_buffer_vectors, "input_buffer_vectors");
  check(p.psum_queue_packets, "psum_queue_packets");
  check(p.output_buffer_vectors, "output_buffer_vectors");
  check(p.sram_piece_bytes, "sram_piece_bytes");
  check(p.max_outstanding_reads, "max_outstanding_reads");
  check(p.max_outstanding_writes, "max_outstanding_writes");
  check(p.port_queue_entries, "port_queue_entries");
  check(p.dma_piece_bytes, "dma_piece_bytes");
  check(p.max_outstanding_dma, "max_outstanding_dma");
  check(p.program_buffer_bytes, "program_buffer_bytes");
}

}  // namespace h4h::cyc
