// Hand-derived timing of weight programming (CimProgram) on the per-cycle CIM model.
//
// Tiles of 8 rows on 64-column sub-arrays: 8 bytes per row, 64 bytes per tile; DMA requests of up to
// 128 bytes (one per tile). The DMA request pushed in cycle 0 is taken by the memory in cycle 1.
//  - fast DMA (instant: delivered in the cycle it is taken): the tile's bytes are seen in c2;
//  - slow DMA (1 byte per cycle): byte i (1-based) moves in cycle i and is seen in i + 1, so row r
//    (bytes up to 8 (r + 1)) can start from c 8r + 9.
// A row occupies its macro mram_write_cycles_per_row (W) cycles; the command ends after the last.
#include <gtest/gtest.h>

#include "sim/systemc/cim/cim_bench.h"

namespace h4h::cyc {
namespace {

CimSpec spec(int write_cycles) {
  CimSpec c;
  c.present = true;
  c.macros = 2;
  c.compute_units = 1;
  c.rows = 64;
  c.cols = 64;
  c.subarrays_per_macro = 2;
  c.weight_bits = 8;
  c.mram_write_cycles_per_row = write_cycles;
  return c;
}

CimCommand program(std::vector<std::pair<int, int>> slots) {
  CimProgram p;
  int64_t address = 0x10000;
  uint64_t id = 1;
  for (auto [macro, subarray] : slots) {
    p.tiles.push_back(CimProgramTile{macro, subarray, 8, 64, address, id++});
    address += 64;
  }
  return CimCommand{5, p};
}

CimSimParams params() {
  CimSimParams p;
  p.dma_piece_bytes = 128;
  return p;
}

// Checks it is still running after cycle end - 2 and done after end - 1.
CimCommandRecord expect_end(CimBench& bench, CimCommand command, Cycle end) {
  bench.cim.submit(std::move(command));
  while (bench.now < end - 1 && !bench.cim.ready()) bench.step();
  EXPECT_FALSE(bench.cim.ready()) << "finished before cycle " << end - 1;
  bench.step();
  EXPECT_TRUE(bench.cim.ready()) << "not finished at cycle " << end - 1;
  return bench.cim.records().back();
}

// Fast DMA, W = 10: rows start at c2 + 10r, the 8th at c72, occupying c72..c81: end = 2 + 10 x 8.
// Writing the whole time: compute_cycles = 80, memory = 2.
TEST(CimProgram, RowByRowWithFastDma) {
  CimAccelerator cim(spec(10), params());
  CimBench bench(cim);
  const CimCommandRecord r = expect_end(bench, program({{0, 0}}), 82);
  EXPECT_EQ(r.kind, CimCommandKind::Program);
  EXPECT_EQ(r.stalls.weight_programming, 82);
  EXPECT_EQ(r.compute_cycles, 80);
  EXPECT_EQ(r.stalls.memory, 2);
  EXPECT_EQ(r.actions.mram_write_bits, 8 * 64);
  EXPECT_EQ(r.actions.mram_read_bits, 8 * 64);
  EXPECT_EQ(cim.programmer().counters().rows_written, 8);
}

// Slow DMA (1 byte/cycle). W = 10 > 8 cycles per row's bytes: write-bound after the first row:
// row r at max(8r + 9, 9 + 10r) = 9 + 10r, the last at c79: end = 89. W = 4: DMA-bound: row r at
// 8r + 9, the last at c65 to c68: end = 69.
TEST(CimProgram, SlowDmaVersusMramWriteLatency) {
  {
    CimAccelerator cim(spec(10), params());
    CimBench bench(cim, {}, BenchMemory(0, 1));
    const CimCommandRecord r = expect_end(bench, program({{0, 0}}), 89);
    EXPECT_EQ(r.compute_cycles, 80);
  }
  {
    CimAccelerator cim(spec(4), params());
    CimBench bench(cim, {}, BenchMemory(0, 1));
    const CimCommandRecord r = expect_end(bench, program({{0, 0}}), 69);
    EXPECT_EQ(r.compute_cycles, 32);
    EXPECT_EQ(r.stalls.memory, 69 - 32);
  }
}

// Two tiles, slow DMA, W = 10. The second tile's bytes are 65..128 of the stream: its row r can start
// from c 64 + 8r + 9 = 73 + 8r.
//  - on two macros, in parallel: macro 1 writes at 73 + 10r, the last at c143: end = 153;
//  - on one macro (two sub-arrays): the second tile waits for the first (last row c79, free at c89):
//    rows at 89 + 10r, the last at c159: end = 169.
// Fast DMA on two macros: the second tile's bytes are seen in c3: rows at 3 + 10r, end = 83.
TEST(CimProgram, MacrosWriteInParallel) {
  {
    CimAccelerator cim(spec(10), params());
    CimBench bench(cim, {}, BenchMemory(0, 1));
    const CimCommandRecord r = expect_end(bench, program({{0, 0}, {1, 0}}), 153);
    EXPECT_EQ(r.actions.mram_write_bits, 2 * 8 * 64);
    EXPECT_EQ(r.actions.mram_read_bits, 2 * 8 * 64);
  }
  {
    CimAccelerator cim(spec(10), params());
    CimBench bench(cim, {}, BenchMemory(0, 1));
    expect_end(bench, program({{0, 0}, {0, 1}}), 169);
  }
  {
    CimAccelerator cim(spec(10), params());
    CimBench bench(cim);
    expect_end(bench, program({{0, 0}, {1, 0}}), 83);
  }
}

// A DMA with a long latency leaves the programmer idle: skipping those cycles changes nothing.
TEST(CimProgram, SkippingIdleCyclesChangesNothing) {
  auto run = [](bool skip) {
    CimSimParams p = params();
    p.dma_piece_bytes = 16;
    p.max_outstanding_dma = 2;
    CimAccelerator cim(spec(3), p);
    CimBench bench(cim, {}, BenchMemory(50, 4));
    bench.skip_idle = skip;
    const CimCommandRecord r = bench.run(program({{0, 0}, {1, 0}, {0, 1}}));
    EXPECT_EQ(bench.skipped > 100, skip) << bench.skipped;
    return std::vector<int64_t>{r.end, r.compute_cycles, r.stalls.memory, r.stalls.weight_programming,
                                cim.programmer().counters().data_wait_cycles, r.actions.mram_write_bits};
  };
  EXPECT_EQ(run(true), run(false));
}

// Program then run on the programmed slots; a run naming weights its slot does not hold is refused.
TEST(CimProgram, RunUsesProgrammedWeights) {
  CimAccelerator cim(spec(10), params());
  CimBench bench(cim);
  bench.run(program({{0, 0}, {1, 0}}));
  CimRun run;
  run.positions = 2;
  run.tiles = {CimRunTile{0, 0, 8, 8, 0, 0, 64, 1}, CimRunTile{1, 0, 8, 8, 0, 1, 64, 2}};
  run.input = SramRange{0, 16};
  run.output_address = 64;
  run.output_bytes_per_position = 8;
  const CimCommandRecord r = bench.run(CimCommand{6, run});
  EXPECT_EQ(r.start, 82 + 1);  // the Program's record ended at 83 (fast DMA); the run starts there
  EXPECT_EQ(r.actions.cim_macs, 2 * 2 * 64);
  EXPECT_EQ(r.actions.cim_cu_ops, 2 * 2 * 8);
  run.tiles[0].weights_id = 2;
  EXPECT_THROW(cim.submit(CimCommand{7, run}), std::invalid_argument);
  EXPECT_EQ(cim.actions().mram_write_bits, 2 * 8 * 64);
}

}  // namespace
}  // namespace h4h::cyc
