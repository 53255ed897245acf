#pragma once
// Rate: a bandwidth in bytes per cycle, possibly fractional (0.5, 2.5), served as whole bytes in
// each cycle by a fixed, clock-aligned pattern.
//
// Contract:
//  - The rate is held in fixed point, in units of 1 / kScale bytes per cycle (kScale = 2^20): a
//    width that is not a multiple of 2^-20 is rounded to the nearest one. Integer widths are exact.
//  - In cycle t (t >= 0) the resource may move bytes_at(t) = floor((t + 1) * w) - floor(t * w)
//    whole bytes: an integer width w moves exactly w bytes every cycle; w = 0.5 moves 0 bytes in even
//    cycles and 1 byte in odd ones; w = 2.5 moves 2, 3, 2, 3, ... Over any n consecutive cycles it
//    moves floor(n * w) or ceil(n * w) bytes, and never more than ceil(w) bytes in one cycle.
//  - Capacity a resource does not use in a cycle is lost (no credit is banked across cycles), so a
//    result never depends on how long a resource sat idle, only on the cycle number.
#include <cstdint>
#include <string>

#include "sim/systemc/kernel/memory_request.h"

namespace h4h::cyc {

class Rate {
 public:
  static constexpr int kScaleBits = 20;
  static constexpr int64_t kScale = int64_t(1) << kScaleBits;
  static constexpr double kMaxBytesPerCycle = double(int64_t(1) << 32);

  Rate() = default;  // zero: moves nothing (a placeholder until assigned)
  // Throws std::invalid_argument naming `parameter` unless bytes_per_cycle is finite, at least
  // 1 / kScale and at most kMaxBytesPerCycle.
  Rate(double bytes_per_cycle, const std::string& parameter);

  // Whole bytes the resource may move in cycle t (t >= 0). O(1), no overflow for any t >= 0.
  int64_t bytes_at(Cycle t) const {
    const int64_t m = t % kScale;  // the pattern repeats every kScale cycles
    return whole_ + (((m + 1) * frac_) >> kScaleBits) - ((m * frac_) >> kScaleBits);
  }
  // The most bytes bytes_at() returns in any cycle: ceil(w).
  int64_t max_bytes_per_cycle() const { return whole_ + (frac_ != 0 ? 1 : 0); }
  // The width actually used, after rounding to 1 / kScale.
  double bytes_per_cycle() const { return double(whole_) + double(frac_) / double(kScale); }

 private:
  int64_t whole_ = 0;  // integer part of the width, bytes per cycle
  int64_t frac_ = 0;   // fractional part, in 1 / kScale bytes per cycle (0 <= frac_ < kScale)
};

}  // namespace h4h::cyc
