#pragma once
// The multi-macro MRAM digital CIM accelerator as a cycle-level SystemC module.
//
// Contract:
//  - A part runs as rounds (cim_plan.h); a round whose weights are not resident is programmed
//    first: the weight DMA fetches each tile's weights + biases from external memory, in order, and
//    each macro writes its tiles row by row (rows_used x mram_write_cycles_per_row per tile) once
//    the tile's data has arrived; macros program in parallel. MRAM write bits (and the same bits read
//    back to verify) are counted per tile. Compute starts when the last macro has finished.
//  - Compute streams the positions (input vectors) in chunks through three stages: the SRAM reader
//    (the chunk's input bytes through the CIM port), the macros (per position, `waves` array
//    activations of `bit_passes` cycles each: the bit-serial input drive, adder tree and
//    shift-accumulate; the macros work on their own tiles in parallel; the first chunk of a round
//    adds the pipeline fill latency) and the compute units (the round's partial sums at
//    compute_units x cu_outputs_per_cycle per cycle), which write the chunk's outputs to the SRAM as
//    they produce them (posted, at most two chunks outstanding). Partial-sum buffers are
//    double-buffered; within a chunk, data streams position by position (pipeline_stage.h), so the
//    chunking is only the simulation's granularity.
//  - The input buffer is double-buffered and holds, beyond that, the SRAM's bandwidth-latency
//    product (sram_latency_cycles x cim.sram_bytes_per_cycle bytes): the reader keeps
//    2 + ceil(latency x bytes/cycle / chunk bytes) chunks in flight ahead of the macros, so its
//    reads stream back to back and the SRAM latency is paid once per round, however short the
//    chunks (a small layer's chunk is one position), as the estimator (sim/estimate/unit_cost.h).
//  - Stalls as the NPU's: SRAM waits caused by other initiators are bank_conflict; programming is
//    weight_programming; the rest beyond the datapath's own cycles is memory.
//  - With tracing: programming spans per macro ("cim.macro<i>") and one compute span per round.
#include <deque>
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/core/hardware.h"
#include "sim/core/trace.h"
#include "sim/blocksim/dma_channel.h"
#include "sim/blocksim/unit_job.h"

namespace h4h::blocksim {

// A chunk leaving the macros: its index and its partial sums streaming out, one position at a time.
struct PsumToken {
  int64_t chunk = 0;
  DataToken psums;
};
inline std::ostream& operator<<(std::ostream& os, const PsumToken& t) { return os << t.chunk; }

class CimUnit : public sc_core::sc_module, public UnitIf {
 public:
  tlm_utils::simple_initiator_socket<CimUnit> sram;
  sc_core::sc_port<DmaIf> program_dma;

  // `sram_latency_cycles`: the shared SRAM's read latency (sizes the input buffer).
  CimUnit(sc_core::sc_module_name name, const CimSpec& spec, int sram_latency_cycles, Trace* trace);
  void execute(const PartJob& job, PartRecord& record) override;

 private:
  struct Chunk {
    int64_t positions = 0;
    int64_t in_bytes = 0, out_bytes = 0;
    int64_t macro = 0, cu = 0;  // stage cycles
    int64_t macs = 0, cu_ops = 0;
  };
  void program(const CimRound& round);
  void plan_chunks(const CimJob& job, const CimRound& round);
  void reader_thread();
  void macro_thread();
  void cu_thread();
  void wait_for_start(int64_t& seen);

  CimSpec spec_;
  int64_t sram_latency_;
  Trace* trace_;
  std::vector<Chunk> chunks_;
  const PartJob* job_ = nullptr;
  PartRecord* record_ = nullptr;
  int64_t started_ = 0;
  sc_core::sc_event start_, done_;
  // The input buffer (this round): chunks read ahead, at most `lookahead_` beyond those released.
  int64_t lookahead_ = 0, released_ = 0;
  std::deque<DataToken> inputs_;
  sc_core::sc_event input_read_, input_released_;
  sc_core::sc_semaphore psum_slots_;
  sc_core::sc_fifo<PsumToken> psums_;
};

}  // namespace h4h::blocksim
