#include "models/space/sampling.h"

#include <algorithm>
#include <sstream>

#include "sim/core/parameter_error.h"

namespace h4h {

namespace {

template <typename T>
T pick(const std::vector<T>& v, Rng& rng) {
  return v[rng() % v.size()];
}

bool coin(Rng& rng, double p) { return double(rng() >> 11) * 0x1.0p-53 < p; }

BlockConfig random_block_of(const StageSpace& s, BlockType type, Rng& rng) {
  BlockConfig b;
  b.type = type;
  if (b.type == BlockType::MBConv) {
    b.kernel = pick(s.mbconv.kernels, rng);
    b.expand = pick(s.mbconv.expands, rng);
    b.se = s.mbconv.se[rng() % s.mbconv.se.size()];
  } else {
    b.heads = pick(s.transformer.heads, rng);
    b.head_dim = pick(s.transformer.head_dims, rng);
    b.mlp_ratio = pick(s.transformer.mlp_ratios, rng);
  }
  return b;
}

bool allows(const StageSpace& s, BlockType type) {
  return std::find(s.later_blocks.begin(), s.later_blocks.end(), type) != s.later_blocks.end();
}

BlockConfig random_block(const StageSpace& s, bool first, bool cnn_only, Rng& rng) {
  BlockType type = first || cnn_only ? BlockType::MBConv : pick(s.later_blocks, rng);
  if (cnn_only && !first && !allows(s, BlockType::MBConv))
    type = BlockType::Transformer;  // a stage of transformers only keeps them
  return random_block_of(s, type, rng);
}

BlockConfig extreme_block(const StageSpace& s, bool first, bool largest) {
  BlockConfig b;
  b.type = first ? BlockType::MBConv : largest ? s.later_blocks.back() : s.later_blocks.front();
  if (b.type == BlockType::MBConv) {
    b.kernel = largest ? s.mbconv.kernels.back() : s.mbconv.kernels.front();
    b.expand = largest ? s.mbconv.expands.back() : s.mbconv.expands.front();
    b.se = largest ? s.mbconv.se.back() : s.mbconv.se.front();
  } else {
    b.heads = largest ? s.transformer.heads.back() : s.transformer.heads.front();
    b.head_dim = largest ? s.transformer.head_dims.back() : s.transformer.head_dims.front();
    b.mlp_ratio = largest ? s.transformer.mlp_ratios.back() : s.transformer.mlp_ratios.front();
  }
  return b;
}

ArchConfig extreme_arch(const SearchSpace& space, bool largest) {
  auto end = [&](const auto& v) { return largest ? v.back() : v.front(); };
  ArchConfig a;
  a.resolution = end(space.resolutions);
  a.first_conv_width = end(space.first_conv_widths);
  for (const StageSpace& s : space.stages) {
    StageConfig sc;
    sc.width = end(s.widths);
    for (int j = 0; j < end(s.depths); ++j) sc.blocks.push_back(extreme_block(s, j == 0, largest));
    a.stages.push_back(sc);
  }
  a.head_conv_width = end(space.head_conv_widths);
  a.head_fc_width = end(space.head_fc_widths);
  return a;
}

}  // namespace

std::string rng_to_text(const Rng& rng) {
  std::ostringstream out;
  out << rng;
  return out.str();
}

Rng rng_from_text(const std::string& text, const std::string& where) {
  Rng rng;
  std::istringstream in(text);
  in >> rng;
  if (!in) throw InputError(where + ": not a random generator state");
  return rng;
}

ArchConfig smallest_arch(const SearchSpace& space) { return extreme_arch(space, false); }
ArchConfig largest_arch(const SearchSpace& space) { return extreme_arch(space, true); }

ArchConfig random_arch(const SearchSpace& space, Rng& rng, bool cnn_only) {
  ArchConfig a;
  a.resolution = pick(space.resolutions, rng);
  a.first_conv_width = pick(space.first_conv_widths, rng);
  for (const StageSpace& s : space.stages) {
    StageConfig sc;
    sc.width = pick(s.widths, rng);
    const int depth = pick(s.depths, rng);
    for (int j = 0; j < depth; ++j) sc.blocks.push_back(random_block(s, j == 0, cnn_only, rng));
    a.stages.push_back(sc);
  }
  a.head_conv_width = pick(space.head_conv_widths, rng);
  a.head_fc_width = pick(space.head_fc_widths, rng);
  return a;
}

ArchConfig mutate_arch(const ArchConfig& arch, const SearchSpace& space, Rng& rng, double p) {
  ArchConfig a = arch;
  if (coin(rng, p)) a.resolution = pick(space.resolutions, rng);
  if (coin(rng, p)) a.first_conv_width = pick(space.first_conv_widths, rng);
  for (size_t i = 0; i < space.stages.size(); ++i) {
    const StageSpace& s = space.stages[i];
    StageConfig& sc = a.stages[i];
    if (coin(rng, p)) sc.width = pick(s.widths, rng);
    if (coin(rng, p)) {
      const size_t depth = size_t(pick(s.depths, rng));
      while (sc.blocks.size() < depth) sc.blocks.push_back(random_block(s, sc.blocks.empty(), false, rng));
      sc.blocks.resize(depth);
    }
    for (size_t j = 0; j < sc.blocks.size(); ++j)
      if (coin(rng, p)) sc.blocks[j] = random_block(s, j == 0, false, rng);
  }
  if (coin(rng, p)) a.head_conv_width = pick(space.head_conv_widths, rng);
  if (coin(rng, p)) a.head_fc_width = pick(space.head_fc_widths, rng);
  return a;
}

ArchConfig crossover_arch(const ArchConfig& x, const ArchConfig& y, const SearchSpace& space, Rng& rng) {
  auto either = [&](const auto& u, const auto& v) { return coin(rng, 0.5) ? u : v; };
  ArchConfig a;
  a.resolution = either(x.resolution, y.resolution);
  a.first_conv_width = either(x.first_conv_width, y.first_conv_width);
  for (size_t i = 0; i < space.stages.size(); ++i) {
    const StageConfig &sx = x.stages[i], &sy = y.stages[i];
    StageConfig sc;
    sc.width = either(sx.width, sy.width);
    const StageConfig& depth_parent = coin(rng, 0.5) ? sx : sy;
    for (size_t j = 0; j < depth_parent.blocks.size(); ++j) {
      const bool both = j < sx.blocks.size() && j < sy.blocks.size();
      sc.blocks.push_back(both ? either(sx.blocks[j], sy.blocks[j]) : depth_parent.blocks[j]);
    }
    a.stages.push_back(sc);
  }
  a.head_conv_width = either(x.head_conv_width, y.head_conv_width);
  a.head_fc_width = either(x.head_fc_width, y.head_fc_width);
  return a;
}

BlockFamily parse_block_family(const std::string& name) {
  if (name == "hybrid") return BlockFamily::Hybrid;
  if (name == "cnn") return BlockFamily::CnnOnly;
  if (name == "transformer") return BlockFamily::TransformerHeavy;
  throw ParameterError("blocks", "expected hybrid, cnn or transformer, got '" + name + "'");
}

const char* block_family_name(BlockFamily family) {
  switch (family) {
    case BlockFamily::Hybrid: return "hybrid";
    case BlockFamily::CnnOnly: return "cnn";
    case BlockFamily::TransformerHeavy: return "transformer";
  }
  return "?";
}

bool in_family(const ArchConfig& arch, const SearchSpace& space, BlockFamily family) {
  if (family == BlockFamily::Hybrid) return true;
  const BlockType wanted = family == BlockFamily::CnnOnly ? BlockType::MBConv : BlockType::Transformer;
  for (size_t i = 0; i < space.stages.size(); ++i)
    for (size_t j = 1; j < arch.stages[i].blocks.size(); ++j)
      if (allows(space.stages[i], wanted) && arch.stages[i].blocks[j].type != wanted) return false;
  return true;
}

ArchConfig restrict_blocks(const ArchConfig& arch, const SearchSpace& space, BlockFamily family, Rng& rng) {
  if (family == BlockFamily::Hybrid) return arch;
  const BlockType wanted = family == BlockFamily::CnnOnly ? BlockType::MBConv : BlockType::Transformer;
  ArchConfig a = arch;
  for (size_t i = 0; i < space.stages.size(); ++i)
    for (size_t j = 1; j < a.stages[i].blocks.size(); ++j)
      if (allows(space.stages[i], wanted) && a.stages[i].blocks[j].type != wanted)
        a.stages[i].blocks[j] = random_block_of(space.stages[i], wanted, rng);
  return a;
}

}  // namespace h4h
