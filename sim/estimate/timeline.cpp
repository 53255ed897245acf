// An event-driven fluid schedule (timeline.h): two units, each running its parts in order, and at
// most one external-memory flow per unit at a time.
#include "sim/estimate/timeline.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace h4h {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Max-min fair rates of two flows with caps `a` and `b` on `capacity` (a cap of 0: inactive).
void fair_rates(double a, double b, double capacity, double* ra, double* rb) {
  if (a > 0 && b > 0) {
    const double half = capacity / 2;
    if (a < half) *ra = a, *rb = std::min(b, capacity - a);
    else if (b < half) *rb = b, *ra = std::min(a, capacity - b);
    else *ra = *rb = half;
    return;
  }
  *ra = std::min(a, capacity);
  *rb = std::min(b, capacity);
}

int64_t round_up(double cycles) { return int64_t(std::ceil(cycles - 1e-6)); }

// A part in progress on a unit.
struct Running {
  int part = -1;
  int64_t round = 0;
  double left = 0;      // bytes of the round's flow still to move (0: between flows)
  int64_t resume = -1;  // when the next round's flow starts (after a round's after_external)
  int64_t end = -1;     // known once the last flow is done (or the part has none)
  bool flowing() const { return part >= 0 && end < 0 && resume < 0; }
};

}  // namespace

TimelinePart timeline_part(int layer, Unit unit, const UnitCost& cost) {
  TimelinePart t;
  t.layer = layer;
  t.unit = unit;
  t.cycles = cost.cycles;
  if (cost.actions.external_read_bytes > 0 && cost.external_window_cycles > 0) {
    t.external_bytes = double(cost.actions.external_read_bytes);
    t.external_rounds = std::max<int64_t>(1, cost.external_rounds);
    t.external_cap = t.external_bytes / double(cost.external_window_cycles);
    t.after_external = cost.after_external_cycles;
  }
  return t;
}

std::vector<PartTiming> schedule_parts(const std::vector<TimelinePart>& parts,
                                       const std::vector<std::vector<int>>& producers, double capacity) {
  std::vector<PartTiming> out;
  if (!schedule_parts(parts, producers, capacity, out)) out.clear();
  return out;
}

namespace {

// Without flows on both units nothing is shared: each part starts when its unit is free and its
// producers have ended (list order per unit) and takes its cycles.
bool list_schedule(const std::vector<TimelinePart>& parts, const std::vector<std::vector<int>>& producers,
                   std::vector<PartTiming>& out) {
  std::vector<int64_t> layer_end(producers.size(), -1);
  int64_t unit_free[2] = {0, 0};
  for (size_t p = 0; p < parts.size(); ++p) {
    const TimelinePart& part = parts[p];
    int64_t start = unit_free[part.unit == Unit::Npu ? 0 : 1];
    for (int producer : producers[size_t(part.layer)]) {
      if (producer >= part.layer || layer_end[size_t(producer)] < 0) return false;
      start = std::max(start, layer_end[size_t(producer)]);
    }
    out[p] = PartTiming{start, start + part.cycles, 0};
    unit_free[part.unit == Unit::Npu ? 0 : 1] = out[p].end;
    // A layer's parts are consecutive: its end is complete before any consumer is reached.
    layer_end[size_t(part.layer)] = std::max(layer_end[size_t(part.layer)], out[p].end);
  }
  return true;
}

}  // namespace

bool schedule_parts(const std::vector<TimelinePart>& parts, const std::vector<std::vector<int>>& producers,
                    double capacity, std::vector<PartTiming>& out) {
  const size_t layers = producers.size();
  out.assign(parts.size(), PartTiming{});
  bool flows[2] = {false, false};
  for (const TimelinePart& part : parts)
    if (part.external_bytes > 0 && part.external_cap > 0) flows[part.unit == Unit::Npu ? 0 : 1] = true;
  if (!(flows[0] && flows[1])) return list_schedule(parts, producers, out);
  std::vector<int> parts_left(layers, 0);
  std::vector<int64_t> layer_end(layers, 0);
  std::vector<int> queue[2];
  for (size_t p = 0; p < parts.size(); ++p) {
    ++parts_left[size_t(parts[p].layer)];
    queue[parts[p].unit == Unit::Npu ? 0 : 1].push_back(int(p));
  }
  size_t next[2] = {0, 0};
  Running run[2];
  // Parts start and end, and rounds resume, on whole cycles; only flows complete in between.
  // Starts happen at part ends (or at 0), so `now` is a whole cycle whenever a part starts.
  double now = 0;
  size_t finished = 0;

  auto ready = [&](int p) {
    for (int producer : producers[size_t(parts[size_t(p)].layer)])
      if (parts_left[size_t(producer)] > 0 || double(layer_end[size_t(producer)]) > now) return false;
    return true;
  };
  auto round_bytes = [&](const TimelinePart& part) { return part.external_bytes / double(part.external_rounds); };
  auto start = [&](int u, int p) {
    const TimelinePart& part = parts[size_t(p)];
    const int64_t at = int64_t(std::llround(now));
    out[size_t(p)].start = at;
    run[u] = Running{};
    run[u].part = p;
    if (part.external_bytes > 0 && part.external_cap > 0) run[u].left = round_bytes(part);
    else run[u].end = at + part.cycles;
  };
  auto finish = [&](int u) {
    const int p = run[u].part;
    const TimelinePart& part = parts[size_t(p)];
    out[size_t(p)].end = run[u].end;
    out[size_t(p)].contention = run[u].end - out[size_t(p)].start - part.cycles;
    layer_end[size_t(part.layer)] = std::max(layer_end[size_t(part.layer)], run[u].end);
    --parts_left[size_t(part.layer)];
    run[u] = Running{};
    ++finished;
  };

  while (finished < parts.size()) {
    // Finish what ends now, resume rounds due now, start what can start now.
    for (bool progress = true; progress;) {
      progress = false;
      for (int u = 0; u < 2; ++u) {
        Running& r = run[u];
        if (r.part >= 0 && r.end >= 0 && double(r.end) <= now) finish(u), progress = true;
        if (r.part >= 0 && r.resume >= 0 && double(r.resume) <= now) {
          r.resume = -1;
          r.left = round_bytes(parts[size_t(r.part)]);
        }
        if (r.part < 0 && next[u] < queue[u].size() && ready(queue[u][next[u]])) {
          start(u, queue[u][next[u]++]);
          progress = true;
        }
      }
    }
    if (finished == parts.size()) break;
    double cap[2] = {0, 0}, rate[2] = {0, 0};
    for (int u = 0; u < 2; ++u)
      if (run[u].flowing()) cap[u] = parts[size_t(run[u].part)].external_cap;
    fair_rates(cap[0], cap[1], capacity, &rate[0], &rate[1]);
    // The next event: a flow completes, a round resumes, or a part ends.
    double event = kInf;
    for (int u = 0; u < 2; ++u) {
      const Running& r = run[u];
      if (r.part < 0) continue;
      if (r.end >= 0) event = std::min(event, double(r.end));
      else if (r.resume >= 0) event = std::min(event, double(r.resume));
      else if (rate[u] > 0) event = std::min(event, now + r.left / rate[u]);
    }
    if (event == kInf) break;  // nothing runs and nothing can start: producers out of network order
    for (int u = 0; u < 2; ++u) {
      Running& r = run[u];
      if (!r.flowing()) continue;
      const TimelinePart& part = parts[size_t(r.part)];
      r.left -= rate[u] * (event - now);
      if (r.left > 1e-9 * std::max(1.0, round_bytes(part))) continue;
      // The round's flow completes: the round needs its after_external cycles more; the part no
      // less than alone.
      r.left = 0;
      const int64_t round_end = round_up(event) + part.after_external;
      if (++r.round < part.external_rounds) r.resume = round_end;
      else r.end = std::max(out[size_t(r.part)].start + part.cycles, round_end);
    }
    now = event;
  }
  return finished == parts.size();
}

}  // namespace h4h
