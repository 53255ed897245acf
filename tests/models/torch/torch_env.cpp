// Test-process set-up for the Torch suites: docs/design.md's allocator thresholds and one intra-op thread
// (ctest runs test processes side by side on two cores; one thread also keeps sums deterministic).
#include <gtest/gtest.h>

#include "models/torch/runtime.h"

namespace {

class TorchEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { h4h::configure_torch_runtime(1); }
};

const ::testing::Environment* const kTorchEnvironment = ::testing::AddGlobalTestEnvironment(new TorchEnvironment);

}  // namespace
