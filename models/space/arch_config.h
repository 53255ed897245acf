#pragma once
// ArchConfig: one subnet of a SearchSpace — every elastic choice made — and its JSON form:
//   {"space": "nasvit-imagenet", "resolution": 192, "first_conv": 16,
//    "stages": [{"width": 16, "blocks": [{"type": "mbconv", "kernel": 3, "expand": 1, "se": false}, ...]},
//               {"width": 64, "blocks": [..., {"type": "transformer", "heads": 8, "head_dim": 8, "mlp_ratio": 2}]}],
//    "head": {"conv": 1248, "fc": 1792}}
// A stage's depth is its number of blocks.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/space/search_space.h"

namespace h4h {

struct BlockConfig {
  BlockType type = BlockType::MBConv;
  int kernel = 3, expand = 1;  // mbconv
  bool se = false;
  int heads = 0, head_dim = 0, mlp_ratio = 0;  // transformer
  bool operator==(const BlockConfig& o) const;
};

struct StageConfig {
  int64_t width = 0;
  std::vector<BlockConfig> blocks;
  bool operator==(const StageConfig& o) const { return width == o.width && blocks == o.blocks; }
};

struct ArchConfig {
  int resolution = 0;
  int64_t first_conv_width = 0;
  std::vector<StageConfig> stages;
  int64_t head_conv_width = 0, head_fc_width = 0;

  bool operator==(const ArchConfig& o) const;
  bool operator!=(const ArchConfig& o) const { return !(*this == o); }
  bool has_transformer() const;
  int transformer_blocks() const;
};

// Throws InputError (naming `file` and the JSON path) when `arch` is not a member of `space`.
void validate_arch(const ArchConfig& arch, const SearchSpace& space, const std::string& file = "arch");

nlohmann::json arch_to_json(const ArchConfig& arch, const SearchSpace& space);
ArchConfig arch_from_json(const nlohmann::json& doc, const SearchSpace& space, const std::string& file);
ArchConfig load_arch(const std::string& path, const SearchSpace& space);

// A short stable text key (for caches and file names), e.g. "r192-f16-s16x1k3e1..."
std::string arch_key(const ArchConfig& arch);

}  // namespace h4h
