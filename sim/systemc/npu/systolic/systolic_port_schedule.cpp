#include "sim/systemc/npu/systolic/systolic_port_schedule.h"

#include <stdexcept>

namespace h4h::cyc {
namespace {

using Kind = CoordinateSource::Kind;

CoordinateSource lane_tile(int64_t base, int64_t used) { return {Kind::Lane, base, used}; }
CoordinateSource reversed_tile(int64_t base, int64_t used) { return {Kind::ReversedTime, base, used}; }
CoordinateSource whole_time() { return {Kind::Time, 0, 0}; }

PortSchedule port(SystolicOperand operand, int64_t lanes, int64_t lead, int64_t length, int64_t tail,
                  bool skewed, CoordinateSource first, CoordinateSource second) {
  PortSchedule p;
  p.operand = operand;
  p.lanes = lanes;
  p.lead = lead;
  p.length = length;
  p.tail = tail;
  p.skewed = skewed;
  p.first = first;
  p.second = second;
  return p;
}

// Output stationary: PE (r, c) accumulates ofmap pixel r of the tile for filter c of the tile.
// Ifmap rows enter from the left edge and filter columns from the top, each skewed by one cycle
// per lane, for `temporal` (= window size) cycles; the ifmap lanes then idle array_cols - 1 cycles
// and the filter lanes array_rows - 1 cycles while the last operands cross the array. The results
// leave at the bottom edge one array row per cycle, bottom row first, skewed by column, starting
// on fold cycle temporal - 1.
std::array<PortSchedule, 3> output_stationary(int64_t R, int64_t C, int64_t T, const FoldTile& tile) {
  const auto pixels = lane_tile(tile.row_begin, tile.rows_used);
  const auto filters = lane_tile(tile.col_begin, tile.cols_used);
  return {port(SystolicOperand::Ifmap, R, 0, T, C - 1, true, pixels, whole_time()),
          port(SystolicOperand::Filter, C, 0, T, R - 1, true, whole_time(), filters),
          port(SystolicOperand::Ofmap, C, T - 1, R, 0, true,
               reversed_tile(tile.row_begin, tile.rows_used), filters)};
}

// The two input-holding dataflows share one timeline. The stationary operand's tile is pushed in
// from the top edge one array row per cycle, bottom row first, all columns at once (array_rows
// cycles); it then waits while the streaming operand crosses the array (array_rows + array_cols +
// temporal - 2 cycles). The streaming operand enters from the left edge after those array_rows load
// cycles, skewed by one cycle per array row, for `temporal` cycles, then idles array_cols - 1
// cycles. Partial sums reach the bottom edge 2 * array_rows - 1 cycles into the fold and leave one
// temporal step per cycle, skewed by column.
//   ws: stationary = filter tile (window x filters), streaming = ifmap (one ofmap pixel per step),
//       out = ofmap pixel t for the tile's filters.
//   is: stationary = ifmap tile (window x ofmap pixels), streaming = filter (one filter per step),
//       out = filter t for the tile's ofmap pixels.
std::array<PortSchedule, 3> weight_stationary(int64_t R, int64_t C, int64_t T, const FoldTile& tile) {
  const auto window = lane_tile(tile.row_begin, tile.rows_used);
  const auto filters = lane_tile(tile.col_begin, tile.cols_used);
  return {port(SystolicOperand::Ifmap, R, R, T, C - 1, true, whole_time(), window),
          port(SystolicOperand::Filter, C, 0, R, R + C + T - 2, false,
               reversed_tile(tile.row_begin, tile.rows_used), filters),
          port(SystolicOperand::Ofmap, C, 2 * R - 1, T, 0, true, whole_time(), filters)};
}

std::array<PortSchedule, 3> input_stationary(int64_t R, int64_t C, int64_t T, const FoldTile& tile) {
  const auto window = lane_tile(tile.row_begin, tile.rows_used);
  const auto pixels = lane_tile(tile.col_begin, tile.cols_used);
  return {port(SystolicOperand::Ifmap, C, 0, R, R + C + T - 2, false, pixels,
               reversed_tile(tile.row_begin, tile.rows_used)),
          port(SystolicOperand::Filter, R, R, T, C - 1, true, window, whole_time()),
          port(SystolicOperand::Ofmap, C, 2 * R - 1, T, 0, true, pixels, whole_time())};
}

}  // namespace

DataflowExtent dataflow_extent(Dataflow dataflow, int64_t ofmap_pixels, int64_t window_size,
                               int64_t num_filters) {
  switch (dataflow) {
    case Dataflow::OutputStationary: return {ofmap_pixels, num_filters, window_size};
    case Dataflow::WeightStationary: return {window_size, num_filters, ofmap_pixels};
    case Dataflow::InputStationary: return {window_size, ofmap_pixels, num_filters};
  }
  throw std::invalid_argument("systolic: unknown dataflow");
}

std::array<PortSchedule, 3> fold_port_schedules(Dataflow dataflow, int64_t array_rows,
                                                int64_t array_cols, int64_t temporal,
                                                const FoldTile& tile) {
  switch (dataflow) {
    case Dataflow::OutputStationary: return output_stationary(array_rows, array_cols, temporal, tile);
    case Dataflow::WeightStationary: return weight_stationary(array_rows, array_cols, temporal, tile);
    case Dataflow::InputStationary: return input_stationary(array_rows, array_cols, temporal, tile);
  }
  throw std::invalid_argument("systolic: unknown dataflow");
}

}  // namespace h4h::cyc
