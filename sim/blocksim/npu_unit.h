#pragma once
// The NPU (Ethos-U55 block engine or systolic array) as a cycle-level SystemC module.
//
// Contract:
//  - A part's work is the engine's block schedule (sim/engines/npu_model.h), replayed block by
//    block: the IFM fetch thread reads each block's IFM (+ IFM2) bytes from the shared SRAM and the
//    weight fetch thread DMAs each block's weights + scale/bias from external memory (dma_channel.h:
//    bursts reach the memory as they are issued), each into one of two buffers (double buffering: block i+2 is fetched once block i has left the MAC stage).
//    Data streams into the datapath as it arrives (IFM in SRAM bursts, weights in DMA bursts): the
//    MAC stage starts a block once the first IFM and weight bursts are in and an accumulator buffer
//    is free (two), and ends `mac` cycles later but no earlier than its last burst's arrival plus
//    the share of the mac cycles that burst feeds (pipeline_stage.h). The output unit drains blocks
//    in order, writing each block's OFM to the SRAM as it produces it (posted, at most two blocks'
//    writes outstanding). Ops without MACs (elementwise, pooling passes, LUT) stream their IFM into
//    the output unit instead.
//  - Commands (an op's repeats, the ops of a layer) run one after another: a command's first
//    block enters the MAC stage after the previous command's last block has left the output stage,
//    so with data always ready a part takes exactly the engine's compute_cycles.
//  - Bytes and MACs are spread over the blocks with share(), so the part's counts are the engine's.
//  - Stalls: waits for data that other initiators' SRAM traffic delayed are bank_conflict; the rest
//    of the time beyond compute_cycles is memory (bandwidth, latency, flash).
//  - With tracing: one span per command on track "npu.datapath".
#include <vector>

#include <systemc>
#include <tlm_utils/simple_initiator_socket.h>

#include "sim/core/trace.h"
#include "sim/blocksim/dma_channel.h"
#include "sim/blocksim/unit_job.h"

namespace h4h::blocksim {

// A block leaving the MAC stage: its index, and (ops without MACs) the IFM the output unit consumes.
struct AccToken {
  int64_t block = 0;
  DataToken ifm;
};
inline std::ostream& operator<<(std::ostream& os, const AccToken& t) { return os << t.block; }

// A block's weights: the DMA command fetching them (none when the block has no weights).
struct WeightToken {
  DmaHandle handle;
  int64_t bytes = 0;
};
inline std::ostream& operator<<(std::ostream& os, const WeightToken& t) { return os << t.bytes; }

class NpuUnit : public sc_core::sc_module, public UnitIf {
 public:
  tlm_utils::simple_initiator_socket<NpuUnit> sram;
  sc_core::sc_port<DmaIf> weight_dma;

  // `sram_burst_bytes`: the granule in which IFM data streams into the MAC engine.
  NpuUnit(sc_core::sc_module_name name, int sram_burst_bytes, Trace* trace);
  void execute(const PartJob& job, PartRecord& record) override;

 private:
  struct Block {
    int64_t mac = 0, out = 0;
    int64_t ifm_bytes = 0, weight_bytes = 0, ofm_bytes = 0;
    int64_t macs = 0, elementwise_ops = 0;
    int64_t command = 0;
    bool command_first = false, command_last = false;
  };
  void plan_blocks(const PartJob& job);
  void ifm_thread();
  void weight_thread();
  void mac_thread();
  void out_thread();
  void wait_for_start(int64_t& seen);

  int64_t burst_;
  Trace* trace_;
  std::vector<Block> blocks_;
  const PartJob* job_ = nullptr;
  PartRecord* record_ = nullptr;
  int64_t started_ = 0;  // jobs started (threads follow with their own count)
  sc_core::sc_event start_, done_, command_done_;
  int64_t commands_done_ = 0;
  int64_t command_start_ = 0;
  sc_core::sc_semaphore ifm_slots_, weight_slots_, acc_slots_;
  sc_core::sc_fifo<DataToken> ifm_ready_;
  sc_core::sc_fifo<WeightToken> weight_ready_;
  sc_core::sc_fifo<AccToken> accumulated_;
};

}  // namespace h4h::blocksim
