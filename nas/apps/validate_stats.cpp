#include "nas/apps/validate_stats.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace h4h {

Agreement agreement(const std::vector<double>& est, const std::vector<double>& ref) {
  if (est.size() != ref.size()) throw std::invalid_argument("agreement: estimates and references differ in number");
  Agreement a;
  double sum_abs = 0, sum = 0;
  for (size_t i = 0; i < est.size(); ++i) {
    if (ref[i] == 0) continue;
    const double e = 100.0 * (est[i] - ref[i]) / std::fabs(ref[i]);
    sum_abs += std::fabs(e);
    sum += e;
    a.max_abs_error_pct = std::max(a.max_abs_error_pct, std::fabs(e));
    ++a.count;
  }
  if (a.count > 0) {
    a.mape_pct = sum_abs / double(a.count);
    a.mean_error_pct = sum / double(a.count);
  }
  a.kendall_tau = kendall_tau_b(est, ref);
  return a;
}

std::optional<double> kendall_tau_b(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size()) throw std::invalid_argument("kendall_tau_b: x and y differ in length");
  const size_t n = x.size();
  if (n < 2) return std::nullopt;
  // O(n^2): validation runs have hundreds of samples, not millions.
  long long concordant = 0, discordant = 0, tied_x = 0, tied_y = 0;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = i + 1; j < n; ++j) {
      const double dx = x[i] - x[j], dy = y[i] - y[j];
      if (dx == 0) ++tied_x;
      if (dy == 0) ++tied_y;
      if (dx == 0 || dy == 0) continue;
      ((dx > 0) == (dy > 0) ? concordant : discordant)++;
    }
  }
  const double pairs = double(n) * double(n - 1) / 2;
  const double denominator = std::sqrt((pairs - double(tied_x)) * (pairs - double(tied_y)));
  if (denominator <= 0) return std::nullopt;
  return double(concordant - discordant) / denominator;
}

}  // namespace h4h
