#pragma once
// SystolicWavefront: the per-cycle SRAM demand of a systolic-array NPU running one layer, stepped
// one array cycle at a time. It reproduces SCALE-Sim v2's SRAM traces (no stalls: its CALC
// bandwidth mode) line for line, lazily: O(array_rows + array_cols) work per step and memory.
//
// Folds: see systolic_port_schedule.h. In short, with R x C PEs and the dataflow's spatial rows Sr,
// spatial cols Sc and temporal extent T,
//   os: a fold = R ofmap pixels x C filters; each PE accumulates one output over the T = window
//       elements, then the tile drains.
//   ws: a fold = R window elements x C filters held in the PEs; all T = ofmap pixels stream past.
//   is: a fold = R window elements x C ofmap pixels held in the PEs; all T = filters stream past.
// There are ceil(Sr / R) * ceil(Sc / C) folds, index fc * ceil(Sr / R) + fr, run back to back.
//
// Cycles: cycle() counts from 0 at the first step, as SCALE-Sim's ofmap SRAM trace numbers its
// lines; its ifmap and filter traces number the same line cycle() + kSramReadLatencyCycles (the
// read buffer's hit latency). SCALE-Sim's COMPUTE_REPORT "Total Cycles" is the cycle() of the last
// step, i.e. the number of trace lines minus one.
#include <array>
#include <cstdint>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/systemc/npu/systolic/systolic_fold_footprint.h"
#include "sim/systemc/npu/systolic/systolic_layer.h"
#include "sim/systemc/npu/systolic/systolic_port_schedule.h"

namespace h4h::cyc {

struct SystolicArrayDims {
  int64_t rows = 1;
  int64_t cols = 1;
};

class SystolicWavefront {
 public:
  // SCALE-Sim stamps a read trace line one cycle after the demand it carries.
  static constexpr int64_t kSramReadLatencyCycles = 1;

  // Throws std::invalid_argument for a bad layer (OperandLayout) or an array dimension < 1.
  SystolicWavefront(const SystolicLayerShape& shape, SystolicArrayDims array, Dataflow dataflow,
                    OperandOffsets offsets = {});

  // Advances one array cycle and computes its port addresses. Throws std::logic_error when done().
  void step();
  // True once the last cycle of the last fold has been stepped.
  bool done() const { return started_ && fold_ == folds_ - 1 && fold_cycle_ == fold_cycles_ - 1; }
  // The cycle step() last computed (0 for the first); -1 before the first step.
  int64_t cycle() const { return cycle_; }
  int64_t read_trace_cycle() const { return cycle_ + kSramReadLatencyCycles; }

  // This cycle's addresses per port lane (offsets included), -1 for an idle lane: SCALE-Sim's
  // trace columns. Lanes: ifmap = array rows (os, ws) or array cols (is); filter = array cols (os,
  // ws) or array rows (is); ofmap = array cols. All -1 before the first step.
  const std::vector<int64_t>& ifmap() const { return lanes_[0]; }
  const std::vector<int64_t>& filter() const { return lanes_[1]; }
  const std::vector<int64_t>& ofmap() const { return lanes_[2]; }

  // Non -1 port entries issued so far, up to and including cycle(): the SRAM accesses made.
  int64_t ifmap_reads() const { return counts_[0]; }
  int64_t filter_reads() const { return counts_[1]; }
  int64_t ofmap_writes() const { return counts_[2]; }

  // SCALE-Sim's DETAILED_ACCESS_REPORT "SRAM IFMAP Reads", "SRAM Filter Reads", "SRAM OFMAP
  // Writes" as they stand after cycle() (over a whole layer: the report). They count every
  // element of the folds' used tiles, so they exceed the accesses made by
  //   ifmap: the window elements beyond the ifmap's edge (-1 in the trace; see OperandLayout);
  //   ofmap (os only): array_rows + array_cols per fold begun, an accounting term of SCALE-Sim's
  //   os model with no trace entries behind it.
  struct ScalesimAccessCounts {
    int64_t ifmap_sram_reads = 0;
    int64_t filter_sram_reads = 0;
    int64_t ofmap_sram_writes = 0;
  };
  ScalesimAccessCounts scalesim_counts() const {
    return {tile_elements_[0], tile_elements_[1], tile_elements_[2] + os_ofmap_term_};
  }

  // Fold structure.
  int64_t folds() const { return folds_; }
  int64_t row_folds() const { return row_folds_; }
  int64_t col_folds() const { return folds_ / row_folds_; }
  int64_t fold_cycles() const { return fold_cycles_; }  // every fold lasts this many cycles
  // The fold cycle() belongs to (0 before the first step), and cycle()'s place in it.
  int64_t fold() const { return fold_; }
  int64_t fold_cycle() const { return fold_cycle_; }
  // The cycle() of fold f's first step: a driver may hold the array before stepping it until the
  // fold's operands (fold_footprint) are in its local buffers.
  int64_t fold_first_cycle(int64_t f) const;
  // The local addresses fold f reads (ifmap, filter) and writes (ofmap): exactly the non -1
  // entries its cycles issue, offsets excluded.
  FoldFootprint fold_footprint(int64_t f) const;

  const OperandLayout& layout() const { return layout_; }
  const OperandOffsets& offsets() const { return offsets_; }
  Dataflow dataflow() const { return dataflow_; }
  SystolicArrayDims array() const { return array_; }

 private:
  FoldTile fold_tile(int64_t f) const;
  void enter_fold(int64_t f);
  void issue_port(int index);
  // The operand's local address at matrix coordinates (first, second); -1 beyond the ifmap.
  int64_t local_address(SystolicOperand operand, int64_t first, int64_t second) const;
  int64_t operand_offset(SystolicOperand operand) const;

  OperandLayout layout_;
  SystolicArrayDims array_;
  Dataflow dataflow_;
  OperandOffsets offsets_;
  DataflowExtent extent_;
  int64_t row_folds_ = 1;
  int64_t folds_ = 1;
  int64_t fold_cycles_ = 1;

  bool started_ = false;
  int64_t cycle_ = -1;
  int64_t fold_ = 0;
  int64_t fold_cycle_ = 0;
  std::array<PortSchedule, 3> ports_;            // this fold's ifmap, filter, ofmap timelines
  std::array<std::vector<int64_t>, 3> lanes_;    // this cycle's addresses
  std::array<int64_t, 3> counts_{};              // non -1 entries so far
  std::array<int64_t, 3> tile_elements_{};       // tile elements issued so far, -1 or not
  int64_t os_ofmap_term_ = 0;
};

}  // namespace h4h::cyc
