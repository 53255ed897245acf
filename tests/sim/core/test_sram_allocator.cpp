// Shared-SRAM allocation: tensors live at the same time never share bytes, tensors that are not may,
// addresses are aligned, and not fitting is a value naming the tensor, exactly at the capacity limit.
#include <gtest/gtest.h>

#include <random>

#include "models/zoo/zoo.h"
#include "sim/core/sram_allocator.h"
#include "tests/support/sim_inputs.h"

namespace h4h {
namespace {

bool time_overlap(const TensorLifetime& a, const TensorLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

// Checks the allocation's contract; returns the largest sum of bytes live at one step (a lower
// bound of any allocation's peak).
int64_t expect_valid(const std::vector<TensorLifetime>& t, const SramAllocation& a, int64_t capacity, int64_t alignment) {
  EXPECT_TRUE(a.ok) << a.reason;
  if (!a.ok) return 0;
  EXPECT_EQ(a.address.size(), t.size());
  int last = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    EXPECT_EQ(a.address[i] % alignment, 0) << t[i].name;
    EXPECT_LE(a.address[i] + t[i].bytes, a.peak_bytes) << t[i].name;
    last = std::max(last, t[i].last_step);
    for (size_t j = i + 1; j < t.size(); ++j)
      if (time_overlap(t[i], t[j]) && t[i].bytes > 0 && t[j].bytes > 0)
        EXPECT_TRUE(a.address[i] + t[i].bytes <= a.address[j] || a.address[j] + t[j].bytes <= a.address[i])
            << t[i].name << " and " << t[j].name << " are live together and overlap";
  }
  EXPECT_LE(a.peak_bytes, capacity);
  int64_t most_live = 0;
  for (int step = 0; step <= last; ++step) {
    int64_t live = 0;
    for (const TensorLifetime& x : t)
      if (x.first_step <= step && step <= x.last_step) live += x.bytes;
    most_live = std::max(most_live, live);
  }
  EXPECT_GE(a.peak_bytes, most_live);
  return most_live;
}

TEST(SramAllocator, TensorsLiveTogetherGetDisjointRangesOthersShare) {
  const std::vector<TensorLifetime> t = {{"a", 100, 0, 1}, {"b", 60, 1, 2}, {"c", 100, 2, 3}};
  const SramAllocation a = allocate_sram(t, 1000, 1);
  expect_valid(t, a, 1000, 1);
  EXPECT_EQ(a.address[0], 0);    // largest first, at the bottom
  EXPECT_EQ(a.address[2], 0);    // c is not live with a: it reuses a's bytes
  EXPECT_EQ(a.address[1], 100);  // b is live with both
  EXPECT_EQ(a.peak_bytes, 160);
}

TEST(SramAllocator, AddressesAreAligned) {
  const std::vector<TensorLifetime> t = {{"a", 10, 0, 0}, {"b", 10, 0, 0}, {"c", 1, 0, 0}};
  const SramAllocation a = allocate_sram(t, 1000, 16);
  expect_valid(t, a, 1000, 16);
  EXPECT_EQ(a.address[0], 0);
  EXPECT_EQ(a.address[1], 16);
  EXPECT_EQ(a.address[2], 32);
  EXPECT_EQ(a.peak_bytes, 33);
}

TEST(SramAllocator, FitsExactlyAtTheCapacityAndFailsOneByteBelowNamingTheTensor) {
  const std::vector<TensorLifetime> t = {{"big", 600, 0, 2}, {"x.out", 400, 1, 1}};
  EXPECT_TRUE(allocate_sram(t, 1000, 1).ok);
  const SramAllocation a = allocate_sram(t, 999, 1);
  EXPECT_FALSE(a.ok);
  EXPECT_NE(a.reason.find("x.out"), std::string::npos) << a.reason;
  EXPECT_NE(a.reason.find("999"), std::string::npos) << a.reason;
  EXPECT_TRUE(a.address.empty());
}

TEST(SramAllocator, RandomLifetimesNeverCollide) {
  std::mt19937 rng(7);
  for (int round = 0; round < 50; ++round) {
    std::vector<TensorLifetime> t;
    const int n = 1 + int(rng() % 40);
    for (int i = 0; i < n; ++i) {
      const int first = int(rng() % 30);
      t.push_back({"t" + std::to_string(i), int64_t(rng() % 5000), first, first + int(rng() % 10)});
    }
    const int64_t alignment = int64_t(1) << (rng() % 6);
    expect_valid(t, allocate_sram(t, int64_t(1) << 40, alignment), int64_t(1) << 40, alignment);
  }
}

TEST(SramAllocator, MalformedRequestsAreProgrammingErrors) {
  EXPECT_THROW(allocate_sram({{"a", -1, 0, 0}}, 10, 1), std::invalid_argument);
  EXPECT_THROW(allocate_sram({{"a", 1, 2, 1}}, 10, 1), std::invalid_argument);
  EXPECT_THROW(allocate_sram({{"a", 1, 0, 0}}, 10, 0), std::invalid_argument);
}

TEST(SramAllocator, ActivationLifetimesRunFromProducerToLastConsumer) {
  const Workload w = test::workload(
      R"({"name": "a", "op": "conv2d", "input": [8, 8, 4], "out_channels": 4, "kernel": 3, "inputs": []},
         {"name": "b", "op": "conv2d", "input": [8, 8, 4], "out_channels": 4, "kernel": 3},
         {"name": "c", "op": "add", "input": [8, 8, 4], "inputs": ["a", "b"]})");
  const std::vector<TensorLifetime> t = activation_lifetimes(w);
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].name, "a.in");
  EXPECT_EQ(t[0].first_step, 0);
  EXPECT_EQ(t[0].last_step, 0);
  EXPECT_EQ(t[1].name, "a.out");
  EXPECT_EQ(t[1].last_step, 2);  // read again by c
  EXPECT_EQ(t[2].name, "b.out");
  EXPECT_EQ(t[2].first_step, 1);
  EXPECT_EQ(t[3].name, "c.out");
  EXPECT_EQ(t[3].last_step, 2);  // a network output: to the end
  EXPECT_EQ(t[1].bytes, 8 * 8 * 4);
}

TEST(SramAllocator, EveryZooModelAllocatesWithoutCollisions) {
  for (const std::string& name : zoo_model_names()) {
    const Workload w = build_zoo_model(name);
    const std::vector<TensorLifetime> t = activation_lifetimes(w);
    const SramAllocation a = allocate_sram(t, int64_t(1) << 40, 16);
    SCOPED_TRACE(name);
    const int64_t lower_bound = expect_valid(t, a, int64_t(1) << 40, 16);
    std::printf("%-20s %4zu tensors: peak %8.1f KiB (most live at once %8.1f KiB)\n", name.c_str(), t.size(),
                double(a.peak_bytes) / 1024, double(lower_bound) / 1024);
  }
}

}  // namespace
}  // namespace h4h
