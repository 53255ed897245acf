#pragma once
// Buffer sizes and memory-interface choices of the cycle-level CIM model that CimSpec does not (yet)
// name. Counts are entries of the named unit; all must be >= 1 (checked by validate_cim_params).
#include <cstdint>

#include "sim/core/hardware.h"

namespace h4h::cyc {

struct CimSimParams {
  // Input vectors the input line buffer holds: the fetcher reads ahead up to the bytes of vector
  // (oldest vector some macro still needs) + input_buffer_vectors - 1, rounded up to whole pieces.
  int input_buffer_vectors = 4;
  // Per macro: partial-sum packets (one tile x one position) waiting for a compute unit.
  int psum_queue_packets = 2;
  // Positions whose outputs are being accumulated or written (the output buffer): a compute unit
  // takes a packet only for a position in [oldest not yet written, oldest + output_buffer_vectors).
  int output_buffer_vectors = 4;
  // Size of one SRAM request (input read or output write piece), bytes: the port's width. One
  // request leaves the port per cycle, so this also bounds the port at this many bytes per cycle.
  int sram_piece_bytes = 8;
  int max_outstanding_reads = 40;   // SRAM input-read requests in flight (covers the SRAM latency)
  int max_outstanding_writes = 16;  // SRAM output-write requests not yet accepted
  int port_queue_entries = 2;       // requests waiting in sram_requests() / dma_requests()
  // Weight programming: DMA request size and requests in flight, and the bytes fetched but not yet
  // written into MRAM (in flight included) that the programming buffer holds.
  int dma_piece_bytes = 128;
  int max_outstanding_dma = 8;
  int64_t program_buffer_bytes = 64 * 1024;
};

// Defaults taken from the hardware: sram_piece_bytes = floor(cim.sram_bytes_per_cycle) (>= 1),
// max_outstanding_reads = sram.latency_cycles + 8, dma_piece_bytes = external.burst_bytes,
// max_outstanding_dma = external.max_outstanding; the rest as in CimSimParams.
CimSimParams default_cim_params(const HardwareSpec& hw);

// Throws std::invalid_argument naming the first field that is < 1.
void validate_cim_params(const CimSimParams& params);

}  // namespace h4h::cyc
