#pragma once
// Agreement statistics between estimates and a reference (the SystemC simulator): the relative
// error (estimated - reference) / reference, its mean absolute value (MAPE) and maximum, the signed
// mean (bias), and Kendall's rank correlation tau-b (do the two order the candidates alike?).
// Errors are reported in percent.
#include <cstddef>
#include <optional>
#include <vector>

namespace h4h {

struct Agreement {
  size_t count = 0;                   // pairs with a nonzero reference (relative errors)
  double mape_pct = 0;                // mean |est - ref| / |ref|
  double max_abs_error_pct = 0;       // max |est - ref| / |ref|
  double mean_error_pct = 0;          // mean (est - ref) / |ref|: > 0 when the estimate is high
  std::optional<double> kendall_tau;  // over all pairs; none with fewer than 2 or no untied pair
};

// `estimated` and `reference` are paired by index (same length; std::invalid_argument otherwise).
// Pairs whose reference is 0 are left out of the relative errors and kept for tau.
Agreement agreement(const std::vector<double>& estimated, const std::vector<double>& reference);

// Kendall's tau-b: (concordant - discordant) / sqrt((n0 - ties in x) (n0 - ties in y)), n0 = n(n-1)/2;
// pairs tied in both count as ties in each. None when n < 2 or either variable is constant.
std::optional<double> kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace h4h
