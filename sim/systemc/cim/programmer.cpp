#include "sim/systemc/cim/programmer.h"

#include <algorithm>
#include <stdexcept>

namespace h4h::cyc {

Programmer::Programmer(const CimSpec& cim, const CimSimParams& params, RegisteredQueue<MemoryRequest>& requests,
                       RegisteredQueue<MemoryDelivery>& deliveries)
    : cim_(cim),
      params_(params),
      requests_(requests),
      deliveries_(deliveries),
      macros_(size_t(std::max(0, cim.macros))),
      ring_(size_t(params.max_outstanding_dma)) {}

void Programmer::begin(const CimProgram& program) {
  program_ = &program;
  tile_start_.assign(program.tiles.size(), 0);
  stream_bytes_ = 0;
  rows_left_ = 0;
  for (MacroWriter& m : macros_) m = MacroWriter{};
  for (size_t i = 0; i < program.tiles.size(); ++i) {
    tile_start_[i] = stream_bytes_;
    stream_bytes_ += program.tiles[i].bytes;
    rows_left_ += program.tiles[i].rows;
    macros_[size_t(program.tiles[i].macro)].tiles.push_back(int32_t(i));
  }
  std::fill(ring_.begin(), ring_.end(), Piece{});
  next_seq_ = head_seq_ = 0;
  fetch_tile_ = 0;
  fetch_offset_ = requested_ = retired_ = arrived_ = buffered_ = 0;
  last_busy_until_ = 0;
  writing_ = false;
}

bool Programmer::done() const { return !program_ || (rows_left_ == 0 && last_busy_until_ <= now_ + 1); }

int64_t Programmer::arrived_in_tile(size_t tile) const {
  return std::clamp<int64_t>(arrived_ - tile_start_[tile], 0, program_->tiles[tile].bytes);
}

int64_t Programmer::next_piece_bytes() const {
  const CimProgramTile& t = program_->tiles[fetch_tile_];
  return std::min<int64_t>(params_.dma_piece_bytes, t.bytes - fetch_offset_);
}

bool Programmer::buffer_blocks() const {
  return requested_ < stream_bytes_ && buffered_ > 0 && buffered_ + next_piece_bytes() > params_.program_buffer_bytes;
}

bool Programmer::can_request() const {
  return requested_ < stream_bytes_ && next_seq_ - head_seq_ < ring_.size() && requests_.can_push() && !buffer_blocks();
}

void Programmer::tick(Cycle now) {
  now_ = now;
  writing_ = false;
  if (!program_) return;
  while (!deliveries_.empty()) {
    const MemoryDelivery d = deliveries_.pop();
    const uint64_t seq = tag_seq(d.tag);
    if (seq < head_seq_ || seq >= next_seq_) throw std::logic_error("Programmer: delivery for no outstanding read");
    Piece& p = ring_[seq % ring_.size()];
    p.received += d.bytes;
    if (d.last) p.complete = true;
  }
  while (head_seq_ < next_seq_ && ring_[head_seq_ % ring_.size()].complete) {
    retired_ += ring_[head_seq_ % ring_.size()].bytes;
    ++head_seq_;
  }
  const Piece& head = ring_[head_seq_ % ring_.size()];
  arrived_ = retired_ + (head_seq_ < next_seq_ ? std::min(head.received, head.bytes) : 0);

  bool waiting = false;
  for (MacroWriter& m : macros_) {
    if (now >= m.busy_until && m.tile < m.tiles.size()) {
      const size_t t = size_t(m.tiles[m.tile]);
      const CimProgramTile& tile = program_->tiles[t];
      const int64_t need = prefix_needed(m.row, tile.bytes, tile.rows);
      if (arrived_in_tile(t) >= need) {
        buffered_ -= need - (m.row > 0 ? prefix_needed(m.row - 1, tile.bytes, tile.rows) : 0);
        m.busy_until = now + cim_.mram_write_cycles_per_row;
        last_busy_until_ = std::max(last_busy_until_, m.busy_until);
        actions_.mram_write_bits += cim_.cols;
        actions_.mram_read_bits += cim_.cols;
        ++counters_.rows_written;
        --rows_left_;
        if (++m.row == tile.rows) {
          m.row = 0;
          ++m.tile;
        }
      } else {
        waiting = true;
      }
    }
    if (now < m.busy_until) writing_ = true;
  }
  if (writing_) ++counters_.write_cycles;
  if (waiting) ++counters_.data_wait_cycles;

  if (can_request()) {
    const CimProgramTile& t = program_->tiles[fetch_tile_];
    const int64_t bytes = next_piece_bytes();
    requests_.push(MemoryRequest{MemoryTarget::External, t.external_address + fetch_offset_, bytes, false,
                                 make_tag(TagSource::WeightRead, next_seq_)});
    ring_[next_seq_ % ring_.size()] = Piece{bytes, 0, false};
    ++next_seq_;
    requested_ += bytes;
    buffered_ += bytes;
    ++counters_.requests;
    counters_.bytes_requested += bytes;
    fetch_offset_ += bytes;
    if (fetch_offset_ == t.bytes) {
      fetch_offset_ = 0;
      ++fetch_tile_;
    }
  } else if (buffer_blocks()) {
    ++counters_.buffer_full_cycles;
  }
}

bool Programmer::quiescent() const {
  if (!program_) return true;
  if (!deliveries_.idle() || can_request()) return false;
  for (const MacroWriter& m : macros_) {
    if (now_ + 1 < m.busy_until) return false;  // still writing next cycle
    if (m.tile < m.tiles.size()) {
      const size_t t = size_t(m.tiles[m.tile]);
      const CimProgramTile& tile = program_->tiles[t];
      if (arrived_in_tile(t) >= prefix_needed(m.row, tile.bytes, tile.rows)) return false;
    }
  }
  return true;
}

void Programmer::skip(int64_t cycles) {
  if (!program_) return;
  bool waiting = false;
  for (const MacroWriter& m : macros_) waiting = waiting || m.tile < m.tiles.size();
  if (waiting) counters_.data_wait_cycles += cycles;
  if (buffer_blocks()) counters_.buffer_full_cycles += cycles;
  now_ += cycles;
}

}  // namespace h4h::cyc
