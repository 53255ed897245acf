// Hand-derived timing of a CIM round (CimRun) on the per-cycle CIM model.
//
// Common set-up (unless a test says otherwise): tiles of 16 rows x 8 outputs (one column tile each,
// 128 MACs per position), 8-bit activations driven 1 bit per cycle: 8 bit passes per tile;
// pipeline_latency_cycles L = 5; 16 input bytes and 8 output bytes per tile per position; SRAM
// pieces of 8 bytes; the input buffer holds every position (so all reads are issued in cycles
// 0 .. 2N-1, before any write: the port never has to choose).
// "Instant" memory (BenchMemory(0, 0)): it takes a request in the cycle after the port pushed it and
// delivers it in that cycle; the requester sees the delivery one cycle later.
//
// The chain for position 0 with the instant memory (cycle numbers from the command's start, 0):
//   c0  fetcher pushes read piece 0 (bytes 0-7) to the port's read side; c1 piece 1, ...
//   c1  port moves piece 0 to sram_requests;   c2 the memory takes it and delivers it
//   c3  fetcher sees piece 0;                   c4 piece 1: position 0 (16 bytes) ready
//   c5..c12  macro drives the 8 bit-slices;     c17 (= 12 + L) pushes the packet
//   c18 a compute unit takes it and accumulates 8 partial sums (cu_outputs_per_cycle 8: one cycle),
//       pushes its completion;                  c19 writer: position 0 finished, write piece 0
//   c20 port moves it; c21 memory accepts it;   c22 writer sees the acceptance: done, end = 23.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "sim/systemc/cim/cim_bench.h"

namespace h4h::cyc {
namespace {

CimSpec spec(int macros, int units, int cu_outputs_per_cycle) {
  CimSpec c;
  c.present = true;
  c.macros = macros;
  c.compute_units = units;
  c.rows = 64;
  c.cols = 64;
  c.subarrays_per_macro = 2;
  c.weight_bits = 8;
  c.input_bits_per_cycle = 1;
  c.cu_outputs_per_cycle = cu_outputs_per_cycle;
  c.pipeline_latency_cycles = 5;
  c.mram_write_cycles_per_row = 10;
  return c;
}

CimSimParams params() {
  CimSimParams p;
  p.sram_piece_bytes = 8;
  p.input_buffer_vectors = 64;
  p.output_buffer_vectors = 4;
  p.psum_queue_packets = 2;
  p.max_outstanding_reads = 64;
  return p;
}

// `macros` column tiles of one 16 x (8 * macros) dense layer, tile m on macro m.
CimCommand column_tiles(int macros, int64_t positions) {
  CimRun run;
  run.positions = positions;
  for (int m = 0; m < macros; ++m) run.tiles.push_back(CimRunTile{m, 0, 16, 8, 8 * m, 0, 16 * 8, 0});
  run.input = SramRange{0x1000, 16 * positions};
  run.output_address = 0x8000;
  run.output_bytes_per_position = 8 * macros;
  run.activation_bits = 8;
  return CimCommand{7, run};
}

// Runs `command` and checks that it is still running after cycle end - 2 and done after end - 1.
CimCommandRecord expect_end(CimBench& bench, CimCommand command, Cycle end) {
  bench.cim.submit(std::move(command));
  const Cycle start = bench.now;
  while (bench.now < start + end - 1 && !bench.cim.ready()) bench.step();
  EXPECT_FALSE(bench.cim.ready()) << "finished before cycle " << end - 1;
  bench.step();
  EXPECT_TRUE(bench.cim.ready()) << "not finished at cycle " << end - 1;
  while (!bench.cim.ready() && bench.now < start + 100000) bench.step();
  return bench.cim.records().back();
}

// One macro, one tile, N positions: position k is driven in c5+8k .. c12+8k (back to back: its input
// arrived long before), its packet pushed at c17+8k, written at c19+8k, accepted (seen) at c22+8k.
// end = 23 + 8 (N - 1): a fill of 15 cycles + 8 per position (the bit passes).
// compute_cycles: the macro drives or drains c5 .. c17+8(N-1), the unit accumulates in c18+8(N-1):
// 14 + 8 (N - 1); memory = end - compute = 9 (c0-c4 waiting for input, c19-c22 for the last write);
// operand_wait = 5 (c0-c4).
TEST(CimRun, OneMacroOneTileFillPlusBitPassesPerPosition) {
  for (int64_t n : {1, 4, 9}) {
    CimAccelerator cim(spec(1, 1, 8), params());
    CimBench bench(cim);
    const CimCommandRecord r = expect_end(bench, column_tiles(1, n), 23 + 8 * (n - 1));
    EXPECT_EQ(r.start, 0);
    EXPECT_EQ(r.compute_cycles, 14 + 8 * (n - 1)) << n;
    EXPECT_EQ(r.stalls.memory, 9) << n;
    EXPECT_EQ(r.stalls.operand_wait, 5) << n;
    EXPECT_EQ(r.stalls.back_pressure, 0) << n;
    EXPECT_EQ(r.stalls.weight_programming, 0) << n;
    EXPECT_EQ(r.id, 7u);
    EXPECT_EQ(cim.macro(0).counters().slices_driven, 8 * n);
  }
}

// The pipeline latency adds to the fill only: L = 0 pushes in the last drive cycle (c12), 5 cycles
// earlier than L = 5: end = 18 + 8 (N - 1). Four input bits per cycle: 2 passes per tile, so
// position k is driven in c5+2k, c6+2k and pushed at c11+2k; end = 17 + 2 (N - 1) - as long as the
// instant memory keeps up: 2 pieces per position arrive one per cycle, exactly the macro's pace.
TEST(CimRun, PipelineLatencyAndInputBitsPerCycle) {
  CimSpec s = spec(1, 1, 8);
  s.pipeline_latency_cycles = 0;
  {
    CimAccelerator cim(s, params());
    CimBench bench(cim);
    expect_end(bench, column_tiles(1, 5), 18 + 8 * 4);
  }
  s = spec(1, 1, 8);
  s.input_bits_per_cycle = 4;
  {
    CimAccelerator cim(s, params());
    CimBench bench(cim);
    expect_end(bench, column_tiles(1, 5), 17 + 2 * 4);
  }
}

// Four macros (one column tile each, same input) feed the compute units; cu_outputs_per_cycle 2, so
// one 8-output packet takes a unit 4 cycles. Packets of position k: all four pushed at c17+8k.
//  - 4 units: each takes one at c18+8k, done at c21+8k; writer finishes position k at c22+8k and
//    writes its 32 bytes in 4 pieces (c22..c25, port c23..c26, memory c24..c27, seen c25..c28):
//    end = 29 + 8 (N - 1). Macro-bound: 8 cycles per position.
//  - 2 units: queues 0,1 at c18+8k (to c21), queues 2,3 at c22+8k (to c25): end = 33 + 8 (N - 1).
//    The units need 16 of every 16 unit-cycles: still 8 cycles per position, no back-pressure.
//  - 1 unit: 16 cycles per position > 8: the unit is the bottleneck. It takes queue m's packet k at
//    c18 + 4m + 16k, so position N-1 is done at c33 + 16 (N - 1) and end = 41 + 16 (N - 1).
//    Back-pressure: macro m may push packet k only after packet k-2 left its 2-entry queue, i.e. from
//    c19 + 4m + 16 (k - 2); it wants to at c17 + 8k. With N = 4, only k = 3 on macros 2 (c41, c42)
//    and 3 (c41 .. c46) waits: back_pressure = 6 cycles of the command (2 + 6 macro-cycles).
TEST(CimRun, ComputeUnitsBecomeTheBottleneck) {
  struct Case { int units; int64_t n; Cycle end; int64_t back_pressure; };
  for (const Case c : {Case{4, 4, 29 + 24, 0}, Case{4, 8, 29 + 56, 0}, Case{2, 4, 33 + 24, 0}, Case{2, 8, 33 + 56, 0},
                       Case{1, 4, 41 + 48, 6}}) {
    CimAccelerator cim(spec(4, c.units, 2), params());
    CimBench bench(cim);
    const CimCommandRecord r = expect_end(bench, column_tiles(4, c.n), c.end);
    EXPECT_EQ(r.stalls.back_pressure, c.back_pressure) << c.units << " units, " << c.n;
    EXPECT_EQ(r.actions.cim_macs, 16 * 32 * c.n);
    EXPECT_EQ(r.actions.cim_cu_ops, 32 * c.n);
    if (c.units == 1) {
      EXPECT_EQ(cim.macro(2).counters().back_pressure_cycles, 2);
      EXPECT_EQ(cim.macro(3).counters().back_pressure_cycles, 6);
      EXPECT_EQ(cim.unit(0).counters().busy_cycles, 16 * c.n);
    }
  }
}

// The same with 1 unit and N = 8: back-pressure grows with N (the slope of end is 16 per position).
TEST(CimRun, BackPressureVanishesWithEnoughUnits) {
  int64_t stalls[5] = {};
  for (int units : {1, 2, 4}) {
    CimAccelerator cim(spec(4, units, 2), params());
    CimBench bench(cim);
    const CimCommandRecord r = bench.run(column_tiles(4, 8));
    stalls[units] = r.stalls.back_pressure;
    if (units == 1) {
      EXPECT_EQ(r.cycles(), 41 + 16 * 7);
    }
  }
  EXPECT_GT(stalls[1], 6);
  EXPECT_EQ(stalls[2], 0);
  EXPECT_EQ(stalls[4], 0);
}

// Input starvation: the SRAM moves 1 byte per cycle, reads and writes alike, and each position needs
// 16 input + 8 output bytes: once the memory is never idle, each extra position costs 24 cycles
// (memory-bound; the macro drives 8 of them and waits for its operand in the other 16). Only the
// drive cycles count as compute: the pipeline drain and the unit's cycle of a starved position
// overlap an operand wait.
TEST(CimRun, SlowMemoryStarvesTheMacros) {
  CimSimParams p = params();
  p.input_buffer_vectors = 2;
  auto run = [&](int64_t n) {
    CimAccelerator cim(spec(1, 1, 8), p);
    CimBench bench(cim, BenchMemory(0, 1));
    return bench.run(column_tiles(1, n));
  };
  const CimCommandRecord a = run(6), b = run(10);
  EXPECT_EQ(b.cycles() - a.cycles(), 4 * 24);
  EXPECT_EQ(b.stalls.operand_wait - a.stalls.operand_wait, 4 * 16);
  EXPECT_EQ(b.compute_cycles - a.compute_cycles, 4 * 8);
  EXPECT_EQ(b.stalls.memory, b.cycles() - b.compute_cycles);
  EXPECT_EQ(b.stalls.back_pressure, 0);
}

// A dense layer K = 100, N = 20 on 64 x 64 sub-arrays with 8-bit weights: 2 row tiles (64 + 36
// rows) x 3 column tiles (8, 8, 4 outputs) on 2 macros; 5 positions. MACs = K x N x positions =
// 10000; compute-unit ops = partial sums = 2 x 20 x 5 = 200.
TEST(CimRun, ActionCountsAreTheLayersMacs) {
  CimRun run;
  run.positions = 5;
  int i = 0;
  for (int64_t col = 0; col < 3; ++col) {
    const int64_t outputs = col < 2 ? 8 : 4;
    for (int64_t row = 0; row < 2; ++row, ++i) {
      const int64_t rows = row == 0 ? 64 : 36;
      run.tiles.push_back(CimRunTile{i % 2, i / 2, rows, outputs, 8 * col, row, rows * outputs, 0});
    }
  }
  run.input = SramRange{0, 100 * 5};
  run.output_address = 4096;
  run.output_bytes_per_position = 20;
  CimSpec s = spec(2, 1, 8);
  s.subarrays_per_macro = 3;
  CimAccelerator cim(s, params());
  CimBench bench(cim, BenchMemory(3, 4));
  const CimCommandRecord r = bench.run(CimCommand{1, run});
  EXPECT_EQ(r.actions.cim_macs, 100 * 20 * 5);
  EXPECT_EQ(r.actions.cim_cu_ops, 200);
  EXPECT_EQ(r.actions.mram_write_bits, 0);
  EXPECT_EQ(cim.writer().counters().bytes_requested, 100);
  EXPECT_EQ(cim.fetcher().counters().bytes_requested, 500);
  EXPECT_EQ(r.compute_cycles + r.stalls.memory, r.cycles());
}

// Shuffling the order of the processes (and of the memories) within every cycle changes nothing.
TEST(CimRun, OrderOfProcessesWithinACycleDoesNotMatter) {
  auto run = [](bool shuffle) {
    CimAccelerator cim(spec(4, 2, 2), params());
    CimBench bench(cim, BenchMemory(4, 3));
    std::mt19937 rng(12345);
    if (shuffle) {
      bench.before_tick = [&](Cycle) {
        std::vector<size_t> order(cim.processes());
        std::iota(order.begin(), order.end(), size_t(0));
        std::shuffle(order.begin(), order.end(), rng);
        cim.set_tick_order(order);
        bench.memory_first = rng() % 2;
      };
    }
    CimRun r = std::get<CimRun>(column_tiles(4, 12).body);
    r.tiles[1].row_tile = 1;  // tiles 0 and 1 become two reduction slices of one output group
    r.tiles[1].output_first = 0;
    bench.run(CimCommand{3, r});
    std::vector<int64_t> out;
    const CimCommandRecord& rec = cim.records().back();
    for (int64_t v : {rec.end, rec.compute_cycles, rec.stalls.operand_wait, rec.stalls.back_pressure, rec.stalls.memory,
                      rec.actions.cim_macs, rec.actions.cim_cu_ops})
      out.push_back(v);
    for (int m = 0; m < 4; ++m)
      for (int64_t v : {cim.macro(m).counters().back_pressure_cycles, cim.macro(m).counters().operand_wait_cycles})
        out.push_back(v);
    for (int u = 0; u < 2; ++u) out.push_back(cim.unit(u).counters().packets);
    return out;
  };
  const auto reference = run(false);
  EXPECT_EQ(run(true), reference);
}

// Skipping quiescent cycles (a slow, long-latency memory) gives the same record as ticking them.
TEST(CimRun, SkippingIdleCyclesChangesNothing) {
  auto run = [](bool skip) {
    CimSimParams p = params();
    p.input_buffer_vectors = 2;
    p.max_outstanding_reads = 2;
    CimAccelerator cim(spec(2, 1, 8), p);
    CimBench bench(cim, BenchMemory(40, 2));
    bench.skip_idle = skip;
    const CimCommandRecord r = bench.run(column_tiles(2, 6));
    EXPECT_EQ(bench.skipped > 100, skip) << bench.skipped;
    return std::vector<int64_t>{r.end, r.compute_cycles, r.stalls.operand_wait, r.stalls.memory,
                                cim.macro(0).counters().operand_wait_cycles, cim.unit(0).counters().starved_cycles};
  };
  EXPECT_EQ(run(true), run(false));
}

TEST(CimRun, RejectsCommandsThatDoNotFit) {
  CimAccelerator cim(spec(2, 1, 8), params());
  CimRun run = std::get<CimRun>(column_tiles(2, 1).body);
  run.tiles[1].macro = 2;
  EXPECT_THROW(cim.submit(CimCommand{0, run}), std::invalid_argument);
  run = std::get<CimRun>(column_tiles(2, 1).body);
  run.tiles[1].outputs = 9;  // 64 columns / 8 bits
  EXPECT_THROW(cim.submit(CimCommand{0, run}), std::invalid_argument);
  run = std::get<CimRun>(column_tiles(2, 1).body);
  run.tiles[1].output_first = 4;  // overlaps [0, 8)
  EXPECT_THROW(cim.submit(CimCommand{0, run}), std::invalid_argument);
  run = std::get<CimRun>(column_tiles(2, 1).body);
  run.tiles[0].weights_id = 99;  // never programmed
  EXPECT_THROW(cim.submit(CimCommand{0, run}), std::invalid_argument);
}

}  // namespace
}  // namespace h4h::cyc
