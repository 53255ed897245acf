#pragma once
// CimAccelerator: the CIM as clocked processes (InputFetcher, one CimMacro per macro, PacketDispatch
// + one ComputeUnit per unit, OutputWriter, SramPort, Programmer) behind one command interface.
//
// Driving it, every cycle `now` (0, 1, 2, ...):
//   1. tick(now) - any time in the cycle, in any order with the memories' processes;
//   2. the memories may pop sram_requests() / dma_requests() and call deliver_sram() / deliver_dma()
//      (a read delivers its bytes, a write is accepted with one `last` delivery) at any time in the
//      cycle; a delivery given in cycle t is seen from cycle t + 1;
//   3. commit(now) - once, after every process of the cycle has acted; commits the accelerator's
//      queues, the outgoing request queues included.
// Commands run one at a time: submit() when ready(); the command starts in the next tick() (its
// start cycle) and its record is appended in the commit() of its last cycle (end = that cycle + 1).
// A Run needs its tiles' weights programmed (Program) earlier, when the tiles name weights_id.
// Skipping: when quiescent() after commit(now), nothing in the accelerator changes until a delivery
// arrives or the memory pops a request; a driver that knows neither happens before cycle t may call
// skip(now + 1, t - now - 1) instead of ticking those cycles (the records count them as if ticked).
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/core/energy.h"
#include "sim/core/hardware.h"
#include "sim/systemc/cim/cim_command.h"
#include "sim/systemc/cim/cim_macro.h"
#include "sim/systemc/cim/cim_params.h"
#include "sim/systemc/cim/cim_record.h"
#include "sim/systemc/cim/compute_unit.h"
#include "sim/systemc/cim/input_fetcher.h"
#include "sim/systemc/cim/output_writer.h"
#include "sim/systemc/cim/programmer.h"
#include "sim/systemc/cim/run_plan.h"
#include "sim/systemc/cim/sram_port.h"
#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {

class CimAccelerator {
 public:
  // Throws std::invalid_argument when `cim` has no macros or compute units, or `params` is invalid.
  CimAccelerator(const CimSpec& cim, const CimSimParams& params = {});
  CimAccelerator(const CimAccelerator&) = delete;
  CimAccelerator& operator=(const CimAccelerator&) = delete;

  // No command running or waiting to start.
  bool ready() const { return !current_ && !pending_; }
  // Throws std::logic_error when !ready(), std::invalid_argument when the command does not fit the
  // CIM (run_plan.h) or a Run tile's weights_id is not what its slot holds.
  void submit(CimCommand command);

  void tick(Cycle now);
  void commit(Cycle now);
  bool quiescent() const;
  void skip(Cycle from, int64_t cycles);

  RegisteredQueue<MemoryRequest>& sram_requests() { return sram_out_; }
  RegisteredQueue<MemoryRequest>& dma_requests() { return dma_out_; }
  // Throws std::logic_error for a tag the accelerator did not issue on that port.
  void deliver_sram(const MemoryDelivery& delivery);
  void deliver_dma(const MemoryDelivery& delivery);

  const std::vector<CimCommandRecord>& records() const { return records_; }
  // Since construction, over all commands.
  ActionCounts actions() const;

  // The processes, for inspection, and their tick order (a permutation of 0..processes()-1 over
  // fetcher, macros, units, writer, port, programmer; tests use it to show order independence).
  const InputFetcher& fetcher() const { return fetcher_; }
  const CimMacro& macro(int i) const { return *macros_[size_t(i)]; }
  const ComputeUnit& unit(int i) const { return *units_[size_t(i)]; }
  const OutputWriter& writer() const { return writer_; }
  const SramPort& port() const { return port_; }
  const Programmer& programmer() const { return programmer_; }
  size_t processes() const { return processes_.size(); }
  void set_tick_order(std::vector<size_t> order);

 private:
  void start(Cycle now);
  void finish(Cycle now);
  bool command_done() const;
  void account(int64_t cycles, bool compute);

  CimSpec cim_;
  CimSimParams params_;
  // Queues (committed by commit()).
  RegisteredQueue<MemoryRequest> sram_out_, dma_out_, read_side_, write_side_;
  RegisteredQueue<MemoryDelivery> input_deliveries_, write_deliveries_, dma_deliveries_;
  std::vector<RegisteredQueue<PsumPacket>> psum_queues_;
  std::vector<RegisteredQueue<PsumDone>> done_queues_;
  // Processes.
  InputFetcher fetcher_;
  std::vector<std::unique_ptr<CimMacro>> macros_;
  PacketDispatch dispatch_;
  std::vector<std::unique_ptr<ComputeUnit>> units_;
  OutputWriter writer_;
  SramPort port_;
  Programmer programmer_;
  std::vector<CimProcess*> processes_;
  std::vector<size_t> order_;
  // Commands.
  std::optional<CimCommand> pending_;
  std::optional<CimCommand> current_;
  RunPlan plan_;
  std::vector<std::vector<uint64_t>> slots_;  // weights_id held by [macro][sub-array]
  CimCommandRecord record_;
  ActionCounts actions_at_start_;
  std::vector<CimCommandRecord> records_;
};

}  // namespace h4h::cyc
