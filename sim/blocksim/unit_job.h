#pragma once
// What the controller hands a compute unit (one layer part) and what the unit reports back.
//
// Contract: a unit runs one part at a time; execute() is called from the controller's thread for
// that unit, returns when the part has finished (its last output accepted by the SRAM) and fills
// the record: start/end cycles, datapath compute cycles, programming cycles, stalls by cause and
// the action counts its modules measured (the memories add the bytes they served).
#include <cstdint>
#include <string>
#include <vector>

#include <systemc>

#include "sim/core/cost_report.h"
#include "sim/engines/npu_model.h"

namespace h4h::blocksim {

struct NpuJob {
  NpuSchedule schedule;
  int64_t macs = 0;             // spread over the MAC-stage blocks
  int64_t elementwise_ops = 0;  // spread over the output-stage blocks
};

// One programming + compute pass of a CIM layer part over the tiles that are in MRAM together.
struct CimRound {
  std::vector<int> tile_macro;  // macro holding each tile of this round
  int64_t waves = 0;            // tiles on the busiest macro: array activations per input vector
  bool program = false;         // weights must be written before computing
  int64_t program_bytes = 0;    // fetched from external memory (weights + biases of these tiles)
  int64_t input_bytes = 0, output_bytes = 0;
  int64_t cu_cycles = 0;        // compute-unit cycles over all positions
  int64_t macs = 0, cu_ops = 0;
};

struct CimJob {
  int64_t positions = 0;        // input vectors (output pixels or tokens)
  int64_t chunks = 0;           // positions are streamed in this many chunks
  int64_t bit_passes = 0;       // cycles one array activation takes (bit-serial input)
  int64_t rows_used = 0;        // word lines written per tile when programming
  std::vector<CimRound> rounds;
};

struct PartJob {
  int layer = 0;
  Unit unit = Unit::Npu;
  std::string name;
  NpuJob npu;
  CimJob cim;
};

struct PartRecord {
  int64_t start = 0, end = 0;
  int64_t compute_cycles = 0;
  int64_t programming_cycles = 0;
  int64_t bank_conflict = 0;  // waits on data delayed by other initiators' SRAM traffic
  ActionCounts actions;
  bool done = false;          // set by the controller when the part has finished
};

class UnitIf : public virtual sc_core::sc_interface {
 public:
  virtual void execute(const PartJob& job, PartRecord& record) = 0;
};

}  // namespace h4h::blocksim
