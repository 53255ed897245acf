// Chrome trace-event JSON writer (trace.h; the format is documented in traces/README.md).
// Output is deterministic: tracks ordered npu[.*], cim[.*], dma.*, sram.*, then the rest (by name
// within a group, digits compared as numbers); spans sorted by (track, start, longer first, name,
// category); counters by (track, cycle); one event per line so that golden files diff line by line.
// Spans of one track that overlap without nesting (outstanding DMA bursts) go on extra lanes.
#include "sim/core/trace.h"

#include <algorithm>
#include <cctype>
#include <tuple>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace h4h {

namespace {

using ojson = nlohmann::ordered_json;

bool in_group(const std::string& track, const std::string& group) {
  return track == group || track.rfind(group + ".", 0) == 0;
}

int track_rank(const std::string& track) {
  if (in_group(track, "npu")) return 0;
  if (in_group(track, "cim")) return 1;
  if (in_group(track, "dma")) return 2;
  if (in_group(track, "sram")) return 3;
  return 4;
}

// Natural order: runs of digits compare as numbers, so "cim.macro2" < "cim.macro10".
bool natural_less(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t ei = i, ej = j;
      while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
      while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
      const std::string da = a.substr(i, ei - i), db = b.substr(j, ej - j);
      const size_t za = da.find_first_not_of('0'), zb = db.find_first_not_of('0');
      const std::string na = za == std::string::npos ? "" : da.substr(za), nb = zb == std::string::npos ? "" : db.substr(zb);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      if (da.size() != db.size()) return da.size() < db.size();  // "01" after "1": still a strict order
      i = ei, j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i, ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

bool track_less(const std::string& a, const std::string& b) {
  if (track_rank(a) != track_rank(b)) return track_rank(a) < track_rank(b);
  return natural_less(a, b);
}

constexpr int kPid = 1;

}  // namespace

std::string trace_to_chrome_json(const Trace& trace, double clock_hz, const std::string& title) {
  if (!(clock_hz > 0)) throw std::invalid_argument("trace_to_chrome_json: clock_hz must be positive");
  // Cycles to microseconds: multiply first so that whole cycles at round clocks print exactly.
  auto us = [clock_hz](int64_t cycles) { return double(cycles) * 1e6 / clock_hz; };

  // Spans by track, then start; a span that contains another (same start, later end) first.
  std::vector<const TraceSpan*> spans;
  for (const TraceSpan& s : trace.spans) spans.push_back(&s);
  std::stable_sort(spans.begin(), spans.end(), [](const TraceSpan* a, const TraceSpan* b) {
    if (a->track != b->track) return track_less(a->track, b->track);
    return std::tie(a->start_cycle, b->end_cycle, a->name, a->category) <
           std::tie(b->start_cycle, a->end_cycle, b->name, b->category);
  });
  std::vector<const TraceCounter*> counters;
  for (const TraceCounter& c : trace.counters) counters.push_back(&c);
  std::stable_sort(counters.begin(), counters.end(), [](const TraceCounter* a, const TraceCounter* b) {
    if (a->track != b->track) return track_less(a->track, b->track);
    return a->cycle < b->cycle;
  });

  // Viewers need the slices of one thread to nest. Each track gets as many lanes as its overlaps
  // need (greedy, in span order); lane 0 is the track itself, lane k the thread "<track> #<k+1>".
  // Every lane is a tid, numbered from 1 in track order.
  std::vector<std::pair<std::string, std::vector<const TraceSpan*>>> lanes;  // thread name, spans
  for (size_t i = 0; i < spans.size();) {
    size_t j = i;
    while (j < spans.size() && spans[j]->track == spans[i]->track) ++j;
    const size_t first = lanes.size();
    std::vector<std::vector<int64_t>> open;  // per lane: end cycles of the spans still open, nested
    for (size_t k = i; k < j; ++k) {
      const TraceSpan* s = spans[k];
      size_t lane = 0;
      for (;; ++lane) {
        if (lane == open.size()) {
          open.emplace_back();
          lanes.push_back({lane == 0 ? s->track : s->track + " #" + std::to_string(lane + 1), {}});
        }
        std::vector<int64_t>& stack = open[lane];
        while (!stack.empty() && stack.back() <= s->start_cycle) stack.pop_back();
        if (stack.empty() || s->end_cycle <= stack.back()) {
          stack.push_back(s->end_cycle);
          break;
        }
      }
      lanes[first + lane].second.push_back(s);
    }
    i = j;
  }

  std::vector<ojson> events;
  events.push_back(ojson{{"ph", "M"}, {"pid", kPid}, {"tid", 0}, {"name", "process_name"}, {"args", {{"name", title}}}});
  for (size_t l = 0; l < lanes.size(); ++l) {
    const int tid = static_cast<int>(l) + 1;
    events.push_back(
        ojson{{"ph", "M"}, {"pid", kPid}, {"tid", tid}, {"name", "thread_name"}, {"args", {{"name", lanes[l].first}}}});
    events.push_back(
        ojson{{"ph", "M"}, {"pid", kPid}, {"tid", tid}, {"name", "thread_sort_index"}, {"args", {{"sort_index", tid}}}});
  }
  for (size_t l = 0; l < lanes.size(); ++l) {
    for (const TraceSpan* s : lanes[l].second) {
      ojson args = ojson::object();
      args["start_cycle"] = s->start_cycle;
      args["end_cycle"] = s->end_cycle;
      args["cycles"] = s->end_cycle - s->start_cycle;
      for (const auto& [key, value] : s->args) args[key] = value;
      events.push_back(ojson{{"ph", "X"},
                             {"pid", kPid},
                             {"tid", static_cast<int>(l) + 1},
                             {"name", s->name},
                             {"cat", s->category},
                             {"ts", us(s->start_cycle)},
                             {"dur", us(s->end_cycle - s->start_cycle)},
                             {"args", std::move(args)}});
    }
  }
  // Counters are process-scoped tracks named by the event name (Perfetto shows "<track> value").
  for (const TraceCounter* c : counters)
    events.push_back(ojson{{"ph", "C"}, {"pid", kPid}, {"name", c->track}, {"ts", us(c->cycle)}, {"args", {{"value", c->value}}}});

  std::string out = "{\"traceEvents\":[\n";
  for (size_t i = 0; i < events.size(); ++i) {
    out += events[i].dump(-1, ' ', false, ojson::error_handler_t::replace);
    out += i + 1 < events.size() ? ",\n" : "\n";
  }
  ojson other{{"title", title}, {"clock_hz", clock_hz}, {"time_unit", "us"}, {"format", "h4h-trace"}, {"version", 1}};
  out += "],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":" + other.dump(-1, ' ', false, ojson::error_handler_t::replace) + "}\n";
  return out;
}

}  // namespace h4h
