// Chrome trace-event JSON: valid JSON, one tid per track in the documented order, cycles converted
// to microseconds at the clock, counters, and byte-identical output for any input order.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "sim/core/trace.h"

namespace h4h {
namespace {

using nlohmann::json;

Trace sample_trace() {
  Trace t;
  t.spans.push_back({"sram.port.cim", "qkv", "dma", 100, 180, {}});
  t.spans.push_back({"cim", "qkv", "layer", 100, 400, {{"macs", 3072}}});
  t.spans.push_back({"npu", "stem", "layer", 0, 250, {{"macs", 110592}, {"utilization", 0.5}}});
  t.spans.push_back({"dma.external", "stem weights", "dma", 0, 40, {}});
  t.spans.push_back({"npu", "dw1", "layer", 250, 300, {}});
  t.spans.push_back({"controller", "issue", "control", 0, 1, {}});
  t.spans.push_back({"cim", "qkv", "programming", 0, 100, {}});
  t.counters.push_back({"sram.bank1", 50, 128});
  t.counters.push_back({"sram.bank0", 100, 64});
  t.counters.push_back({"sram.bank0", 0, 0});
  return t;
}

std::vector<json> events_with(const json& doc, const std::string& ph) {
  std::vector<json> out;
  for (const json& e : doc.at("traceEvents"))
    if (e.at("ph") == ph) out.push_back(e);
  return out;
}

TEST(Trace, IsValidChromeTraceJson) {
  const json doc = json::parse(trace_to_chrome_json(sample_trace(), 5e8, "tiny on h4h-default"));
  ASSERT_TRUE(doc.at("traceEvents").is_array());
  EXPECT_EQ(doc.at("otherData").at("title"), "tiny on h4h-default");
  EXPECT_EQ(doc.at("otherData").at("clock_hz"), 5e8);
  for (const json& e : doc.at("traceEvents")) {
    EXPECT_TRUE(e.contains("ph") && e.contains("pid") && e.contains("name")) << e.dump();
    if (e.at("ph") == "X") {
      EXPECT_TRUE(e.contains("ts") && e.contains("dur") && e.contains("tid")) << e.dump();
    }
    if (e.at("ph") == "C") {
      EXPECT_TRUE(e.contains("ts") && e.at("args").contains("value")) << e.dump();
    }
  }
  EXPECT_EQ(events_with(doc, "X").size(), 7u);
  EXPECT_EQ(events_with(doc, "C").size(), 3u);
}

TEST(Trace, OneTidPerTrackInUnitDmaSramOrder) {
  const json doc = json::parse(trace_to_chrome_json(sample_trace(), 5e8, "t"));
  std::map<int, std::string> names;
  for (const json& e : events_with(doc, "M"))
    if (e.at("name") == "thread_name") names[e.at("tid").get<int>()] = e.at("args").at("name");
  const std::map<int, std::string> expected{{1, "npu"}, {2, "cim"}, {3, "dma.external"}, {4, "sram.port.cim"}, {5, "controller"}};
  EXPECT_EQ(names, expected);
  for (const json& e : events_with(doc, "X")) {
    const int tid = e.at("tid");
    ASSERT_TRUE(names.count(tid)) << e.dump();
    // Every span sits on its own track's tid.
    const std::string& track = names[tid];
    if (e.at("name") == "stem" || e.at("name") == "dw1") {
      EXPECT_EQ(track, "npu");
    }
    if (e.at("cat") == "programming") {
      EXPECT_EQ(track, "cim");
    }
  }
}

TEST(Trace, SubTracksFollowTheirUnitAndNumbersSortNaturally) {
  Trace t;
  for (const char* track : {"cim.macro10", "dma.npu", "cim.macro2", "npu.datapath", "zeta", "cim", "npu", "dma.cim",
                            "sram.bank0", "cim.datapath", "alpha"})
    t.spans.push_back({track, "x", "layer", 0, 1, {}});
  const json doc = json::parse(trace_to_chrome_json(t, 5e8, "t"));
  std::vector<std::string> order;
  for (const json& e : events_with(doc, "M"))
    if (e.at("name") == "thread_name") order.push_back(e.at("args").at("name"));
  const std::vector<std::string> expected{"npu",     "npu.datapath", "cim",        "cim.datapath", "cim.macro2", "cim.macro10",
                                          "dma.cim", "dma.npu",      "sram.bank0", "alpha",        "zeta"};
  EXPECT_EQ(order, expected);
}

TEST(Trace, OverlappingSpansOfOneTrackGoOnLanesNestedOnesStay) {
  Trace t;
  t.spans.push_back({"dma.npu", "a", "dma", 0, 100, {}});
  t.spans.push_back({"dma.npu", "b", "dma", 50, 150, {}});   // overlaps a: second lane
  t.spans.push_back({"dma.npu", "c", "dma", 60, 70, {}});    // inside a and b: first lane, nested in a
  t.spans.push_back({"dma.npu", "d", "dma", 100, 120, {}});  // after a ends: first lane
  t.spans.push_back({"dma.npu", "e", "dma", 55, 160, {}});   // overlaps a and b: third lane
  t.spans.push_back({"npu", "outer", "layer", 0, 100, {}});
  t.spans.push_back({"npu", "inner", "layer", 0, 40, {}});   // same start, nested: same lane
  const json doc = json::parse(trace_to_chrome_json(t, 1e6, "t"));
  std::map<int, std::string> names;
  for (const json& e : events_with(doc, "M"))
    if (e.at("name") == "thread_name") names[e.at("tid").get<int>()] = e.at("args").at("name");
  const std::map<int, std::string> expected{{1, "npu"}, {2, "dma.npu"}, {3, "dma.npu #2"}, {4, "dma.npu #3"}};
  EXPECT_EQ(names, expected);
  std::map<std::string, std::string> lane_of;
  for (const json& e : events_with(doc, "X")) lane_of[e.at("name")] = names[e.at("tid").get<int>()];
  EXPECT_EQ(lane_of["a"], "dma.npu");
  EXPECT_EQ(lane_of["c"], "dma.npu");
  EXPECT_EQ(lane_of["d"], "dma.npu");
  EXPECT_EQ(lane_of["b"], "dma.npu #2");
  EXPECT_EQ(lane_of["e"], "dma.npu #3");
  EXPECT_EQ(lane_of["outer"], "npu");
  EXPECT_EQ(lane_of["inner"], "npu");
  // Within each tid, slices nest or follow each other.
  std::map<int, std::vector<std::pair<double, double>>> by_tid;
  for (const json& e : events_with(doc, "X"))
    by_tid[e.at("tid")].push_back({e.at("ts").get<double>(), e.at("ts").get<double>() + e.at("dur").get<double>()});
  for (const auto& [tid, slices] : by_tid)
    for (size_t i = 0; i < slices.size(); ++i)
      for (size_t j = i + 1; j < slices.size(); ++j) {
        const auto &a = slices[i], &b = slices[j];
        const bool disjoint = a.second <= b.first || b.second <= a.first;
        const bool nested = (a.first <= b.first && b.second <= a.second) || (b.first <= a.first && a.second <= b.second);
        EXPECT_TRUE(disjoint || nested) << "tid " << tid;
      }
}

TEST(Trace, ConvertsCyclesToMicrosecondsAtTheClock) {
  const json doc = json::parse(trace_to_chrome_json(sample_trace(), 5e8, "t"));  // 500 MHz: 2 ns per cycle
  for (const json& e : events_with(doc, "X")) {
    if (e.at("name") != "dw1") continue;
    EXPECT_DOUBLE_EQ(e.at("ts").get<double>(), 0.5);   // cycle 250
    EXPECT_DOUBLE_EQ(e.at("dur").get<double>(), 0.1);  // 50 cycles
    EXPECT_EQ(e.at("args").at("start_cycle"), 250);
    EXPECT_EQ(e.at("args").at("end_cycle"), 300);
    EXPECT_EQ(e.at("args").at("cycles"), 50);
  }
  const json slow = json::parse(trace_to_chrome_json(sample_trace(), 1e6, "t"));  // 1 MHz: 1 us per cycle
  for (const json& e : events_with(slow, "C")) {
    if (e.at("name") == "sram.bank1") {
      EXPECT_DOUBLE_EQ(e.at("ts").get<double>(), 50.0);
    }
  }
  EXPECT_THROW(trace_to_chrome_json(sample_trace(), 0, "t"), std::invalid_argument);
}

TEST(Trace, KeepsSpanArgumentsAndCategories) {
  const json doc = json::parse(trace_to_chrome_json(sample_trace(), 5e8, "t"));
  bool found = false;
  for (const json& e : events_with(doc, "X"))
    if (e.at("name") == "stem") {
      found = true;
      EXPECT_EQ(e.at("cat"), "layer");
      EXPECT_EQ(e.at("args").at("macs"), 110592);
      EXPECT_DOUBLE_EQ(e.at("args").at("utilization").get<double>(), 0.5);
    }
  EXPECT_TRUE(found);
}

TEST(Trace, SortsSpansAndCountersByTrackThenTime) {
  const json doc = json::parse(trace_to_chrome_json(sample_trace(), 5e8, "t"));
  std::vector<std::pair<int, double>> spans;
  for (const json& e : events_with(doc, "X")) spans.push_back({e.at("tid"), e.at("ts")});
  EXPECT_TRUE(std::is_sorted(spans.begin(), spans.end()));
  std::vector<std::pair<std::string, double>> counters;
  for (const json& e : events_with(doc, "C")) counters.push_back({e.at("name"), e.at("ts")});
  EXPECT_TRUE(std::is_sorted(counters.begin(), counters.end()));
}

TEST(Trace, OutputIsIndependentOfInsertionOrder) {
  const Trace t = sample_trace();
  const std::string reference = trace_to_chrome_json(t, 5e8, "t");
  std::mt19937 rng(7);
  for (int i = 0; i < 20; ++i) {
    Trace shuffled = t;
    std::shuffle(shuffled.spans.begin(), shuffled.spans.end(), rng);
    std::shuffle(shuffled.counters.begin(), shuffled.counters.end(), rng);
    EXPECT_EQ(trace_to_chrome_json(shuffled, 5e8, "t"), reference);
  }
}

TEST(Trace, EmptyTraceStillLoads) {
  const json doc = json::parse(trace_to_chrome_json(Trace{}, 5e8, "empty"));
  ASSERT_EQ(doc.at("traceEvents").size(), 1u);  // the process name
  EXPECT_EQ(doc.at("traceEvents")[0].at("name"), "process_name");
}

}  // namespace
}  // namespace h4h
