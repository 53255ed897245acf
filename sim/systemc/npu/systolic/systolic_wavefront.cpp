#include "sim/systemc/npu/systolic/systolic_wavefront.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace h4h::cyc {
namespace {

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

}  // namespace

SystolicWavefront::SystolicWavefront(const SystolicLayerShape& shape, SystolicArrayDims array,
                                     Dataflow dataflow, OperandOffsets offsets)
    : layout_(shape), array_(array), dataflow_(dataflow), offsets_(offsets) {
  if (array.rows < 1 || array.cols < 1) {
    throw std::invalid_argument("systolic array " + std::to_string(array.rows) + "x" +
                                std::to_string(array.cols) + ": dimensions must be >= 1");
  }
  extent_ = dataflow_extent(dataflow, layout_.ofmap_pixels(), layout_.window_size(),
                            layout_.num_filters());
  row_folds_ = ceil_div(extent_.spatial_rows, array.rows);
  folds_ = row_folds_ * ceil_div(extent_.spatial_cols, array.cols);
  enter_fold(0);
  // A fold ends when every port's timeline has ended; the dataflows are built so that they agree.
  fold_cycles_ = std::max({ports_[0].span(), ports_[1].span(), ports_[2].span()});
  for (int i = 0; i < 3; ++i) lanes_[i].assign(static_cast<size_t>(ports_[i].lanes), -1);
}

FoldTile SystolicWavefront::fold_tile(int64_t f) const {
  const int64_t fr = f % row_folds_, fc = f / row_folds_;
  FoldTile tile;
  tile.row_begin = fr * array_.rows;
  tile.rows_used = std::min(array_.rows, extent_.spatial_rows - tile.row_begin);
  tile.col_begin = fc * array_.cols;
  tile.cols_used = std::min(array_.cols, extent_.spatial_cols - tile.col_begin);
  return tile;
}

void SystolicWavefront::enter_fold(int64_t f) {
  fold_ = f;
  fold_cycle_ = 0;
  ports_ = fold_port_schedules(dataflow_, array_.rows, array_.cols, extent_.temporal, fold_tile(f));
}

void SystolicWavefront::step() {
  if (done()) throw std::logic_error("SystolicWavefront::step: the layer is done");
  if (!started_) {
    started_ = true;
  } else if (++fold_cycle_ == fold_cycles_) {
    enter_fold(fold_ + 1);
  }
  ++cycle_;
  if (fold_cycle_ == 0 && dataflow_ == Dataflow::OutputStationary) {
    os_ofmap_term_ += array_.rows + array_.cols;
  }
  for (int i = 0; i < 3; ++i) issue_port(i);
}

void SystolicWavefront::issue_port(int index) {
  const PortSchedule& port = ports_[index];
  std::vector<int64_t>& out = lanes_[index];
  int64_t elements = 0, issued = 0;
  for (int64_t lane = 0; lane < port.lanes; ++lane) {
    int64_t address = -1;
    const int64_t t = port.element_index(fold_cycle_, lane);
    if (t >= 0) {
      const int64_t a = port.first.resolve(t, lane, port.length);
      const int64_t b = port.second.resolve(t, lane, port.length);
      if (a >= 0 && b >= 0) {
        ++elements;
        address = local_address(port.operand, a, b);
        if (address >= 0) {
          address += operand_offset(port.operand);
          ++issued;
        }
      }
    }
    out[static_cast<size_t>(lane)] = address;
  }
  tile_elements_[index] += elements;
  counts_[index] += issued;
}

int64_t SystolicWavefront::local_address(SystolicOperand operand, int64_t first, int64_t second) const {
  switch (operand) {
    case SystolicOperand::Ifmap: return layout_.ifmap_address(first, second);
    case SystolicOperand::Filter: return layout_.filter_address(first, second);
    case SystolicOperand::Ofmap: return layout_.ofmap_address(first, second);
  }
  return -1;
}

int64_t SystolicWavefront::operand_offset(SystolicOperand operand) const {
  switch (operand) {
    case SystolicOperand::Ifmap: return offsets_.ifmap;
    case SystolicOperand::Filter: return offsets_.filter;
    case SystolicOperand::Ofmap: return offsets_.ofmap;
  }
  return 0;
}

int64_t SystolicWavefront::fold_first_cycle(int64_t f) const {
  if (f < 0 || f >= folds_) {
    throw std::out_of_range("SystolicWavefront::fold_first_cycle: no fold " + std::to_string(f));
  }
  return f * fold_cycles_;
}

FoldFootprint SystolicWavefront::fold_footprint(int64_t f) const {
  if (f < 0 || f >= folds_) {
    throw std::out_of_range("SystolicWavefront::fold_footprint: no fold " + std::to_string(f));
  }
  const auto ports = fold_port_schedules(dataflow_, array_.rows, array_.cols, extent_.temporal, fold_tile(f));
  auto range = [](const PortSchedule& port, const CoordinateSource& source) {
    return IndexRange{source.range_begin(), source.range_end(port.length)};
  };
  FoldFootprint footprint;
  for (const PortSchedule& port : ports) {
    const IndexRange first = range(port, port.first), second = range(port, port.second);
    switch (port.operand) {
      case SystolicOperand::Ifmap:  // (pixel, window index)
        footprint.ifmap = ifmap_footprint(layout_, first, second);
        break;
      case SystolicOperand::Filter:  // (window index, filter): filter-major
        footprint.filter = grid_footprint(second, first, layout_.window_size());
        break;
      case SystolicOperand::Ofmap:  // (pixel, filter): pixel-major
        footprint.ofmap = grid_footprint(first, second, layout_.num_filters());
        break;
    }
  }
  return footprint;
}

}  // namespace h4h::cyc
