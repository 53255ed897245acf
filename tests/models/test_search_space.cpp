// Search spaces, ArchConfig, sampling, evolution operators and ArchConfig -> Workload.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "sim/core/error.h"
#include "tests/support/build_paths.h"

namespace h4h {
namespace {

std::string space_path(const std::string& name) { return test::source_dir() + "/models/spaces/" + name + ".yaml"; }

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class Spaces : public ::testing::TestWithParam<std::string> {};

TEST_P(Spaces, SamplesStayInsideTheSpaceAndBuildWorkloads) {
  const SearchSpace space = load_search_space(space_path(GetParam()));
  Rng rng(7);
  std::set<std::string> keys;
  for (int i = 0; i < 200; ++i) {
    const ArchConfig a = random_arch(space, rng);
    EXPECT_NO_THROW(validate_arch(a, space));
    keys.insert(arch_key(a));
    const Workload w = arch_to_workload(a, space);
    EXPECT_EQ(w.layers.back().output, (Shape{1, 1, space.num_classes}));
    const ArchConfig cnn = random_arch(space, rng, true);
    EXPECT_EQ(cnn.transformer_blocks(), 0);
    validate_arch(cnn, space);
  }
  EXPECT_GT(keys.size(), 190u);  // the space is large: random samples rarely repeat
}

TEST_P(Spaces, SmallestAndLargestBracketEveryRandomSubnet) {
  const SearchSpace space = load_search_space(space_path(GetParam()));
  const int64_t small = count_workload(arch_to_workload(smallest_arch(space), space)).macs;
  const int64_t large = count_workload(arch_to_workload(largest_arch(space), space)).macs;
  EXPECT_LT(small, large);
  Rng rng(3);
  for (int i = 0; i < 100; ++i) {
    const int64_t m = count_workload(arch_to_workload(random_arch(space, rng), space)).macs;
    EXPECT_LE(small, m);
    EXPECT_LE(m, large);
  }
}

TEST_P(Spaces, ArchConfigRoundTripsThroughJson) {
  const SearchSpace space = load_search_space(space_path(GetParam()));
  Rng rng(11);
  for (int i = 0; i < 50; ++i) {
    const ArchConfig a = random_arch(space, rng);
    const ArchConfig b = arch_from_json(arch_to_json(a, space), space, "rt.json");
    EXPECT_EQ(a, b);
    EXPECT_EQ(arch_key(a), arch_key(b));
  }
}

TEST_P(Spaces, MutationAndCrossoverStayInsideTheSpaceAndAreSeeded) {
  const SearchSpace space = load_search_space(space_path(GetParam()));
  Rng rng(5);
  ArchConfig a = random_arch(space, rng), b = random_arch(space, rng);
  for (int i = 0; i < 200; ++i) {
    const ArchConfig m = mutate_arch(a, space, rng, 0.3);
    const ArchConfig c = crossover_arch(a, m, space, rng);
    validate_arch(m, space);
    validate_arch(c, space);
    a = c;
  }
  EXPECT_EQ(mutate_arch(b, space, rng, 0.0), b);
  Rng r1(99), r2(99);
  EXPECT_EQ(mutate_arch(b, space, r1, 0.5), mutate_arch(b, space, r2, 0.5));
  Rng r3(1), r4(1);
  EXPECT_EQ(random_arch(space, r3), random_arch(space, r4));
}

INSTANTIATE_TEST_SUITE_P(All, Spaces, ::testing::Values("nasvit-imagenet", "fashion-mnist"));

TEST(SearchSpace, TransformerBlocksCountTheirAttentionMacs) {
  const SearchSpace space = load_search_space(space_path("fashion-mnist"));
  ArchConfig a = smallest_arch(space);
  const int64_t cnn_macs = count_workload(arch_to_workload(a, space)).macs;
  // s3 at width 32, resolution 28 -> 4x4 after strides 2 (first conv), 1, 2, 2: N = 16 tokens.
  a.stages[2].blocks.push_back(BlockConfig{BlockType::Transformer, 3, 1, false, 2, 8, 1});
  const Workload w = arch_to_workload(a, space);
  const int64_t n = 16, c = 32, hd = 16;
  const int64_t block = n * c * 3 * hd + 2 * n * n * hd + n * hd * c + 2 * n * c * c;
  EXPECT_EQ(count_workload(w).macs - cnn_macs, block);
}

TEST(SearchSpace, NasvitSpaceSmallestIsCloseToTheZooA0) {
  // Same stage table as NASViT's smallest subnet (zoo: nasvit_a0), simpler transformer blocks and
  // all-MBConv later blocks here: the MAC counts stay within the same range.
  const SearchSpace space = load_search_space(space_path("nasvit-imagenet"));
  const double macs = double(count_workload(arch_to_workload(smallest_arch(space), space)).macs);
  EXPECT_GT(macs, 100e6);
  EXPECT_LT(macs, 300e6);
}

void expect_space_error(const std::string& text, std::initializer_list<const char*> fragments) {
  try {
    parse_search_space(text, "space.yaml");
    FAIL() << "no error";
  } catch (const InputError& e) {
    for (const char* f : fragments) EXPECT_NE(std::string(e.what()).find(f), std::string::npos) << f << " not in " << e.what();
  }
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << from;
  return pos == std::string::npos ? text : text.replace(pos, from.size(), to);
}

TEST(SearchSpace, ErrorsNameFileAndKey) {
  const std::string base = read(space_path("fashion-mnist"));
  expect_space_error(replace(base, "depths: [1, 2], stride: 2", "depths: [], stride: 2"), {"space.yaml", "stages[1].depths", "non-empty"});
  expect_space_error(replace(base, "kernels: [3, 5], expands: [1]", "kernels: [3, 4], expands: [1]"), {"stages[0].mbconv.kernels", "odd"});
  expect_space_error(replace(base, "depths: [1, 2, 3], stride: 1,", "depths: [1, 2, 3], stride: 4,"), {"resolutions", "total stride"});
  expect_space_error(replace(base, "num_classes: 10", "num_class: 10"), {"num_class", "unknown key"});
  expect_space_error(replace(base, "widths: [16, 24], depths: [1, 2], stride: 1", "widths: [24, 16], depths: [1, 2], stride: 1"),
                     {"stages[0].widths", "increasing"});
  expect_space_error(replace(base, "later_blocks: [mbconv, transformer]}\n  - {name: s4", "later_blocks: [mbconv, cnn]}\n  - {name: s4"),
                     {"later_blocks", "cnn"});
  expect_space_error(replace(base, "se: [false, true]", "se: [true, false]"), {"se", "[false, true]"});
  expect_space_error(replace(base, "version: 1", "version: 3"), {"version"});
  expect_space_error("stages: [oops", {"space.yaml", "not valid YAML"});
  expect_space_error("", {"space.yaml", "empty"});
}

TEST(SearchSpace, ForeignOrInvalidArchitecturesAreRejected) {
  const SearchSpace space = load_search_space(space_path("fashion-mnist"));
  nlohmann::json doc = arch_to_json(smallest_arch(space), space);
  doc["resolution"] = 30;
  EXPECT_THROW(arch_from_json(doc, space, "a.json"), InputError);
  doc = arch_to_json(smallest_arch(space), space);
  doc["space"] = "nasvit-imagenet";
  EXPECT_THROW(arch_from_json(doc, space, "a.json"), InputError);
  doc = arch_to_json(smallest_arch(space), space);
  doc["stages"][0]["blocks"][0]["type"] = "transformer";
  EXPECT_THROW(arch_from_json(doc, space, "a.json"), InputError);
  doc = arch_to_json(smallest_arch(space), space);
  doc["stages"][2]["blocks"][0]["kernel"] = 7;
  try {
    arch_from_json(doc, space, "a.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("stages[2] (s3).blocks[0].kernel"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace h4h
