#pragma once
// Programmer: executes a CimProgram: fetches the tiles' bytes through the DMA channel and writes them
// row by row into the macros.
//
// Fetch: the tiles in command order form one stream; each tile is read from its own external range
// in requests of at most params.dma_piece_bytes (aligned to the tile's start), one per cycle into
// `requests`, at most params.max_outstanding_dma not yet fully delivered, and only while the bytes
// requested and not yet written stay within params.program_buffer_bytes (a piece is always allowed
// into an empty buffer). Deliveries may be partial; the stream's contiguous delivered prefix is what
// has arrived (bytes within a request arrive in order).
// Write: each macro writes its tiles in command order, row after row; row r of a tile (its bytes:
// the first ceil((r + 1) * bytes / rows) of the tile) starts in the first cycle in which they have
// arrived (from the cycle after their delivery) and the macro has finished its previous row; it
// occupies the macro for cim.mram_write_cycles_per_row cycles (write + verify), and its bytes leave
// the buffer as it starts. Macros write in parallel. Each row writes all cim.cols bit lines:
// mram_write_bits += cols, and the verify reads them back: mram_read_bits += cols.
#include <cstdint>
#include <vector>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/systemc/cim/cim_command.h"
#include "sim/systemc/cim/cim_common.h"
#include "sim/systemc/cim/cim_params.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

struct ProgrammerCounters {
  int64_t requests = 0;
  int64_t bytes_requested = 0;
  int64_t rows_written = 0;
  int64_t write_cycles = 0;        // cycles in which some macro was writing
  int64_t data_wait_cycles = 0;    // cycles in which a macro with rows left waited for their bytes
  int64_t buffer_full_cycles = 0;  // a request waited for room in the programming buffer
};

class Programmer : public CimProcess {
 public:
  Programmer(const CimSpec& cim, const CimSimParams& params, RegisteredQueue<MemoryRequest>& requests,
             RegisteredQueue<MemoryDelivery>& deliveries);

  void begin(const CimProgram& program);
  void end() { program_ = nullptr; }
  bool done() const;             // every row written (its write cycles over)
  bool writing() const { return writing_; }  // some macro wrote in the last tick
  const ProgrammerCounters& counters() const { return counters_; }
  const ActionCounts& actions() const { return actions_; }

  void tick(Cycle now) override;
  void commit() override {}
  bool quiescent() const override;
  void skip(int64_t cycles) override;

 private:
  struct Piece {
    int64_t bytes = 0, received = 0;
    bool complete = false;
  };
  struct MacroWriter {
    std::vector<int32_t> tiles;  // in command order
    size_t tile = 0;
    int64_t row = 0;
    Cycle busy_until = 0;  // first cycle it is free again
  };
  int64_t arrived_in_tile(size_t tile) const;
  bool can_request() const;
  bool buffer_blocks() const;
  int64_t next_piece_bytes() const;

  CimSpec cim_;
  CimSimParams params_;
  RegisteredQueue<MemoryRequest>& requests_;
  RegisteredQueue<MemoryDelivery>& deliveries_;
  const CimProgram* program_ = nullptr;
  std::vector<int64_t> tile_start_;  // stream offset of each tile
  int64_t stream_bytes_ = 0;
  std::vector<MacroWriter> macros_;
  std::vector<Piece> ring_;
  uint64_t next_seq_ = 0, head_seq_ = 0;
  size_t fetch_tile_ = 0;
  int64_t fetch_offset_ = 0;   // within fetch_tile_
  int64_t requested_ = 0;      // stream bytes requested
  int64_t retired_ = 0;        // stream bytes of the leading complete pieces
  int64_t arrived_ = 0;        // contiguous stream bytes arrived
  int64_t buffered_ = 0;       // requested and not yet written
  int64_t rows_left_ = 0;
  Cycle last_busy_until_ = 0;
  Cycle now_ = 0;              // cycle of the last tick
  bool writing_ = false;
  ProgrammerCounters counters_;
  ActionCounts actions_;
};

}  // namespace h4h::cyc
