#pragma once
// Checks on the checkpoints a training run leaves (Torch tests of `h4h train` and its faults).
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "nas/train/checkpoint.h"

namespace h4h::test {

// The smallest meta document read_checkpoint_meta accepts, for checkpoints a test saves itself.
inline nlohmann::json checkpoint_meta(const std::string& space_yaml, int64_t step,
                                      nlohmann::json options = nlohmann::json::object()) {
  return {{"format", kCheckpointFormat}, {"version", kCheckpointVersion}, {"space_yaml", space_yaml},
          {"data", nlohmann::json::object()}, {"options", std::move(options)}, {"step", step},
          {"total_steps", 9}, {"loader", nlohmann::json::object()}, {"sample_rng", "1"}};
}

// The step a checkpoint was written at; -1 while there is none. A checkpoint that exists is
// complete: checkpoints appear by rename.
inline int64_t checkpoint_step(const std::string& path) {
  if (!std::filesystem::exists(path)) return -1;
  return read_checkpoint_meta(path)["step"].get<int64_t>();
}

// Every parameter and buffer of the two checkpoints' supernets is bit-identical.
inline void expect_same_weights(const std::string& a_file, const std::string& b_file) {
  Supernet a(read_checkpoint_space(a_file)), b(read_checkpoint_space(b_file));
  load_checkpoint_state(a_file, a, nullptr);
  load_checkpoint_state(b_file, b, nullptr);
  const auto pb = b->named_parameters();
  for (const auto& item : a->named_parameters())
    EXPECT_TRUE(torch::equal(item.value(), pb[item.key()])) << item.key() << " differs: " << a_file << " vs " << b_file;
  const auto bb = b->named_buffers();
  for (const auto& item : a->named_buffers())
    EXPECT_TRUE(torch::equal(item.value(), bb[item.key()])) << item.key() << " differs: " << a_file << " vs " << b_file;
}

}  // namespace h4h::test
