#pragma once
// What each compute unit can run, as data (one table in capability.cpp), not scattered ifs.
// The CIM is weight-stationary: it runs layers whose weights it holds (conv2d, depthwise_conv2d,
// linear) and cannot run activation x activation matmuls or weightless elementwise ops.
#include <string>

#include "sim/core/workload.h"

namespace h4h {

enum class Unit { Npu, Cim };
constexpr int kUnitCount = 2;
const char* unit_name(Unit unit);

bool unit_supports(Unit unit, OpKind op);
// Why `unit` cannot run `op` (empty when it can).
std::string unsupported_reason(Unit unit, OpKind op);

}  // namespace h4h
