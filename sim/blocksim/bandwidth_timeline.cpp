#include "sim/blocksim/bandwidth_timeline.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <vector>

namespace h4h::blocksim {

namespace {
constexpr double kEps = 1e-9;
bool same(double a, double b) { return std::fabs(a - b) <= kEps * std::max(1.0, std::fabs(a) + std::fabs(b)); }
}  // namespace

BandwidthTimeline::BandwidthTimeline(double capacity) : capacity_(capacity) { use_[INT64_MIN] = 0; }

double BandwidthTimeline::used_at(int64_t cycle) const { return std::prev(use_.upper_bound(cycle))->second; }

int64_t BandwidthTimeline::next_change(int64_t cycle) const {
  auto it = use_.upper_bound(cycle);
  return it == use_.end() ? INT64_MAX : it->first;
}

void BandwidthTimeline::add(int64_t from, int64_t to, double amount) {
  if (to <= from || amount == 0) return;
  // Split at both ends, add in between, then merge equal neighbours to keep the map small.
  auto split = [&](int64_t at) {
    auto it = use_.upper_bound(at);
    const double before = std::prev(it)->second;
    return use_.emplace_hint(it, at, before);
  };
  auto first = split(from);
  auto last = split(to);
  for (auto it = first; it != last; ++it) it->second += amount;
  auto merge = [&](std::map<int64_t, double>::iterator it) {
    if (it != use_.begin() && it != use_.end() && same(std::prev(it)->second, it->second)) use_.erase(it);
  };
  merge(last);
  merge(use_.find(from));
}

void BandwidthTimeline::forget_before(int64_t cycle, const std::function<void(int64_t, int64_t, double)>& dropped) {
  auto end = use_.upper_bound(cycle);
  auto keep = std::prev(end);  // the segment that holds `cycle`
  if (keep == use_.begin()) return;
  if (dropped) {
    for (auto it = std::next(use_.begin()); it != keep; ++it) dropped(it->first, std::next(it)->first, it->second);
    if (keep->first < cycle) dropped(keep->first, cycle, keep->second);
  }
  const double value = keep->second;
  use_.erase(use_.begin(), end);
  use_[INT64_MIN] = 0;
  use_[cycle] = value;
  if (same(value, 0)) use_.erase(cycle);
}

int64_t reserve(BandwidthTimeline* const* lines, int n, int64_t start, double bytes, bool commit) {
  int64_t t = start;
  double left = bytes;
  while (left > kEps) {
    double free = INFINITY;
    int64_t until = INT64_MAX;
    for (int i = 0; i < n; ++i) {
      free = std::min(free, lines[i]->capacity() - lines[i]->used_at(t));
      until = std::min(until, lines[i]->next_change(t));
    }
    if (free <= kEps * std::max(1.0, lines[0]->capacity())) {
      t = until;
      continue;
    }
    const double needed = left / free;
    const int64_t whole = static_cast<int64_t>(std::floor(needed + kEps));
    if (until == INT64_MAX || t + whole < until || (t + whole == until && left - double(whole) * free <= kEps)) {
      double rest = left - double(whole) * free;
      if (rest <= kEps) rest = 0;
      if (commit) {
        for (int i = 0; i < n; ++i) {
          lines[i]->add(t, t + whole, free);
          if (rest > 0) lines[i]->add(t + whole, t + whole + 1, rest);
        }
      }
      return t + whole + (rest > 0 ? 1 : 0);
    }
    if (commit)
      for (int i = 0; i < n; ++i) lines[i]->add(t, until, free);
    left -= double(until - t) * free;
    t = until;
  }
  return t;
}

}  // namespace h4h::blocksim
