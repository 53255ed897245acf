#pragma once
// Terminal rendering of a CostReport: a per-layer table and the totals.
#include <string>

#include "sim/core/cost_report.h"

namespace h4h {

std::string render_report_table(const CostReport& report, const Workload& workload, const HardwareSpec& hw,
                                const Mapping& mapping);

}  // namespace h4h
