#pragma once
// The geometry of a U55Command as the datapath's units walk it: OFM blocks, the IFM jobs of each
// block (one SHRAM IFM buffer fill each) and the weight sets of each job (one weight-register load
// each). Pure index arithmetic, no durations; every unit keeps its own cursor into the same
// sequence, so the IFM fetcher, the weight decoder and the MAC unit agree on the order.
//
// Order of work: repeats, then OFM blocks (rows of blocks, columns, then OFM depth blocks innermost),
// then jobs of a block (IFM depth slices, then sub-kernels of at most 8 x 8 elements), then weight
// sets of a job (8-channel groups for part-kernel-first, kernel steps, then OFM micro-block depth
// slices innermost), then the micro-blocks of the block (the MAC unit: one pass each).
//
// Block geometry: every block of a MAC-fed op is processed at the configured size (the OFM block
// clipped to the OFM): a block overhanging the OFM edge still takes all its micro-block passes and
// all its output-unit element slots; only elements inside the OFM are read, written and counted.
// Elementwise blocks are clipped (the output unit only processes elements that exist).
#include <cstdint>

#include "sim/systemc/npu/ethos_u55/u55_command.h"

namespace h4h::cyc {

struct U55Block {
  int64_t run = 0;                 // repeat index
  int64_t y0 = 0, x0 = 0, c0 = 0;  // OFM origin
  int64_t oh = 0, ow = 0, oc = 0;  // extent inside the OFM
};

struct U55Job {
  U55Block block;
  bool first_in_block = false, last_in_block = false;
  int64_t ifm_c0 = 0, ifm_nc = 0;      // IFM channels of this job (inside the IFM)
  int ky0 = 0, kx0 = 0, kh = 1, kw = 1;  // sub-kernel
  int64_t groups = 1, steps = 1;       // weight-set structure (sets = groups x steps x ublocks_z)
  int64_t sets = 0;                    // weight sets (0: pooling / elementwise)
  int64_t pass_cycles = 0;             // cycles of one micro-block pass
  int64_t pooling_taps = 0;            // pooling: kernel elements of the sub-kernel
};

struct U55Set {
  int64_t bytes = 0;                // weight bytes the decoder reads for this set
  int64_t z = 0;                    // OFM micro-block depth slice
  int64_t macs_per_pixel = 0;       // MACs per OFM pixel inside the OFM (taps x IFM channels x OFM channels)
};

// A rectangular window of a feature map: rows [y0, y0 + h), columns [x0, x0 + w), channels [c0, c0 + c).
struct U55Window {
  int64_t y0 = 0, x0 = 0, c0 = 0, h = 0, w = 0, c = 0;
  int64_t bytes(int64_t element_bytes) const { return h * w * c * element_bytes; }
};

class U55Plan {
 public:
  explicit U55Plan(const U55Command& cmd);

  const U55Command& command() const { return *cmd_; }
  bool elementwise() const { return cmd_->type == U55BlockType::ElementWise; }
  const U55Shape& block() const { return block_; }  // OFM block geometry (clipped to the OFM)
  int64_t blocks() const { return blocks_; }         // over all repeats
  int64_t jobs() const { return blocks_ * jobs_per_block_; }
  int64_t jobs_per_block() const { return jobs_per_block_; }
  int64_t ublocks_x() const { return ux_; }
  int64_t ublocks_y() const { return uy_; }
  int64_t ublocks_z() const { return uz_; }
  int64_t ublocks_xy() const { return ux_ * uy_; }
  // Decoder cycles to write one weight set into the registers.
  int64_t set_rows() const { return set_rows_; }
  // OFM-side slots the output unit spends on one block (full geometry; elementwise: clipped).
  int64_t output_slots(const U55Block& b) const;

  U55Block block_at(int64_t index) const;
  U55Job job_at(int64_t index) const;
  U55Set set_at(const U55Job& job, int64_t index) const;
  // OFM pixels inside the OFM covered by micro-block `ublock` (0 .. ublocks_xy()) of the block.
  int64_t pixels_in(const U55Block& b, int64_t ublock) const;
  int64_t ofm_channels_in(const U55Block& b, int64_t z) const;

  // Weight bytes the decoder consumes for a block (the weight stream's read of that block) and where.
  int64_t block_weight_bytes(const U55Block& b) const;
  int64_t block_weight_address(const U55Block& b) const;
  int64_t weight_bytes_per_ofm_channel() const { return weight_bytes_per_channel_; }

  // IFM (and IFM2) windows a job reads; IFM2 windows broadcast dimensions of size 1.
  U55Window ifm_window(const U55Job& job) const;
  U55Window ifm2_window(const U55Job& job) const;

 private:
  const U55Command* cmd_;
  U55Shape block_;
  int64_t blocks_h_ = 1, blocks_w_ = 1, blocks_c_ = 1, blocks_per_run_ = 1, blocks_ = 1;
  int64_t slice_c_ = 1, slices_ = 1;
  int sub_limit_ = 8, subs_h_ = 1, subs_w_ = 1;
  int64_t jobs_per_block_ = 1;
  int64_t ux_ = 1, uy_ = 1, uz_ = 1;
  int64_t set_rows_ = 1;
  int64_t weight_bytes_per_channel_ = 0;
  int64_t kernel_elements_per_step_ = 1;  // part-kernel-first / depthwise
};

}  // namespace h4h::cyc
