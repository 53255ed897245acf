#include "sim/systemc/memory/rate.h"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace h4h::cyc {

Rate::Rate(double bytes_per_cycle, const std::string& parameter) {
  const bool ok = std::isfinite(bytes_per_cycle) && bytes_per_cycle <= kMaxBytesPerCycle &&
                  std::llround(bytes_per_cycle * double(kScale)) >= 1;
  if (!ok) {
    std::ostringstream msg;
    msg << parameter << " must be a finite number of bytes per cycle in [2^-" << kScaleBits
        << ", 2^32] (got " << bytes_per_cycle << ")";
    throw std::invalid_argument(msg.str());
  }
  const int64_t fixed = std::llround(bytes_per_cycle * double(kScale));
  whole_ = fixed >> kScaleBits;
  frac_ = fixed & (kScale - 1);
}

}  // namespace h4h::cyc
