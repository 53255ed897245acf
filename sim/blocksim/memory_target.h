#pragma once
// A memory behind TLM-2.0 blocking transport: the banked shared SRAM, or the external memory
// (flash / LPDDR) that the DMA channels read.
//
// Contract (timing, all in cycles):
//  - Initiators bind through bind_port(); each binding is a port with its own bytes/cycle limit
//    (the NPU's and the CIM's SRAM ports, a DMA channel's AXI port).
//  - Requests are striped over all banks (fine-grained address interleaving), so every request puts
//    1/banks of its bytes on each bank and the banks together serve banks x bytes_per_cycle_per_bank.
//    In every cycle a request moves min(its port's free bandwidth, the banks' free bandwidth) bytes;
//    requests are served first come, first served (bandwidth_timeline.h). A request that finds the
//    banks taken by other initiators ends later than it would alone: those cycles are its
//    contention (reported in TransferInfo; counted by the units as bank_conflict stalls for the
//    SRAM, memory stalls for the external memory).
//  - A read's data is ready `latency` cycles after its last byte was served (requests from one
//    initiator pipeline, so latency is paid once per stream of back-to-back requests); writes are
//    posted: complete when the last byte is accepted.
//  - Bytes are added to the initiator's ActionCounts: sram_* for kind Sram, external_* for External.
//  - With tracing, each bank's occupancy (bytes/cycle in use) becomes counters "<name>.bank<i>".
#include <memory>
#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/multi_passthrough_target_socket.h>

#include "sim/core/trace.h"
#include "sim/blocksim/bandwidth_timeline.h"

namespace h4h::blocksim {

struct MemoryParams {
  enum class Kind { Sram, External } kind = Kind::Sram;
  int banks = 1;
  double bytes_per_cycle_per_bank = 8;
  int latency_cycles = 32;
};

class MemoryTarget : public sc_core::sc_module {
 public:
  tlm_utils::multi_passthrough_target_socket<MemoryTarget> socket;

  MemoryTarget(sc_core::sc_module_name name, const MemoryParams& params, Trace* trace);
  template <typename InitiatorSocket>
  void bind_port(InitiatorSocket& initiator, double port_bytes_per_cycle) {
    initiator.bind(socket);
    ports_.push_back(std::make_unique<Port>(port_bytes_per_cycle, params_.banks * params_.bytes_per_cycle_per_bank));
  }
  // Flushes bank-occupancy history into the trace (end of simulation).
  void finish_trace();

 private:
  // A port's real timeline, plus a private copy of the world without the other initiators.
  struct Port {
    Port(double port_bw, double banks_bw) : line(port_bw), alone_line(port_bw), alone_banks(banks_bw) {}
    BandwidthTimeline line, alone_line, alone_banks;
  };
  void b_transport(int port, tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);
  void forget(int64_t cycle);

  MemoryParams params_;
  BandwidthTimeline banks_;
  std::vector<std::unique_ptr<Port>> ports_;
  Trace* trace_;
};

}  // namespace h4h::blocksim
