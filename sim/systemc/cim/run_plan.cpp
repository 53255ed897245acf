#include "sim/systemc/cim/run_plan.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>

#include "sim/systemc/cim/cim_common.h"

namespace h4h::cyc {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::invalid_argument("CIM command: " + what); }

void check_slot(int macro, int subarray, const CimSpec& cim, const std::string& who) {
  if (macro < 0 || macro >= cim.macros) fail(who + ": macro " + std::to_string(macro) + " out of range");
  if (subarray < 0 || subarray >= cim.subarrays_per_macro)
    fail(who + ": sub-array " + std::to_string(subarray) + " out of range");
}

}  // namespace

int64_t RunPlan::input_needed(int64_t position) const {
  return prefix_needed(position, run->input.bytes, positions);
}

RunPlan make_run_plan(const CimRun& run, const CimSpec& cim) {
  if (run.positions < 1) fail("run: positions must be >= 1");
  if (run.tiles.empty()) fail("run: no tiles");
  if (run.activation_bits < 1) fail("run: activation_bits must be >= 1");
  if (run.input.address < 0 || run.input.bytes < 0 || run.output_address < 0 || run.output_bytes_per_position < 0)
    fail("run: negative address or size");
  if (cim.input_bits_per_cycle < 1 || cim.weight_bits < 1) fail("run: CIM spec has no input or weight bits");
  RunPlan plan;
  plan.run = &run;
  plan.positions = run.positions;
  plan.bit_passes = ceil_div(run.activation_bits, cim.input_bits_per_cycle);
  plan.packets_per_position = int64_t(run.tiles.size());
  plan.macro_tiles.assign(size_t(std::max(0, cim.macros)), {});
  const int64_t max_outputs = cim.cols / cim.weight_bits;
  std::set<std::pair<int, int>> slots;
  std::map<int64_t, int64_t> groups;  // output_first -> outputs
  std::set<std::pair<int64_t, int64_t>> row_tiles;  // (output_first, row_tile)
  for (size_t i = 0; i < run.tiles.size(); ++i) {
    const CimRunTile& t = run.tiles[i];
    const std::string who = "run tile " + std::to_string(i);
    check_slot(t.macro, t.subarray, cim, who);
    if (!slots.insert({t.macro, t.subarray}).second) fail(who + ": its macro's sub-array is used twice in the round");
    if (t.rows < 1 || t.rows > cim.rows) fail(who + ": rows out of 1.." + std::to_string(cim.rows));
    if (t.outputs < 1 || t.outputs > max_outputs) fail(who + ": outputs out of 1.." + std::to_string(max_outputs));
    if (t.macs < 1) fail(who + ": macs must be >= 1");
    if (t.output_first < 0 || t.row_tile < 0) fail(who + ": negative output_first or row_tile");
    auto [it, inserted] = groups.emplace(t.output_first, t.outputs);
    if (!inserted && it->second != t.outputs) fail(who + ": output group differs from another with the same first output");
    if (!row_tiles.insert({t.output_first, t.row_tile}).second) fail(who + ": row_tile repeated in its output group");
    plan.macro_tiles[size_t(t.macro)].push_back(int32_t(i));
  }
  int64_t end = 0;
  for (const auto& [first, outputs] : groups) {  // ascending first: each group must start after the last ends
    if (first < end) fail("run: output groups overlap at output " + std::to_string(first));
    end = first + outputs;
  }
  return plan;
}

void validate_program(const CimProgram& program, const CimSpec& cim) {
  std::set<std::pair<int, int>> slots;
  for (size_t i = 0; i < program.tiles.size(); ++i) {
    const CimProgramTile& t = program.tiles[i];
    const std::string who = "program tile " + std::to_string(i);
    check_slot(t.macro, t.subarray, cim, who);
    if (!slots.insert({t.macro, t.subarray}).second) fail(who + ": its slot is written twice");
    if (t.rows < 1 || t.rows > cim.rows) fail(who + ": rows out of 1.." + std::to_string(cim.rows));
    if (t.bytes < 1) fail(who + ": bytes must be >= 1");
    if (t.external_address < 0) fail(who + ": negative external address");
  }
}

}  // namespace h4h::cyc
