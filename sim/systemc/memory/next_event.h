#pragma once
// kNoEvent: what next_event_cycle() of a memory model returns when nothing can change until a client
// pushes a request (the model is idle()).
#include <limits>

#include "sim/systemc/kernel/memory_request.h"

namespace h4h::cyc {

constexpr Cycle kNoEvent = std::numeric_limits<Cycle>::max();

}  // namespace h4h::cyc
