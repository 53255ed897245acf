#pragma once
// `h4h validate`'s summary as text: the end-to-end agreement against the targets, then the per-op
// table (nas/apps/validate_report.h computes them).
#include <string>

#include "nas/apps/validate_report.h"

namespace h4h {

std::string render_summary(const ValidationSummary& summary, const std::string& title,
                           const ValidationTargets& targets = {});

}  // namespace h4h
