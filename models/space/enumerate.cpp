#include "models/space/enumerate.h"

#include <cmath>

#include <fmt/format.h>

#include "sim/core/error.h"

namespace h4h {

namespace {

std::vector<BlockConfig> block_choices(const StageSpace& s, bool first) {
  std::vector<BlockConfig> out;
  const std::vector<BlockType> types = first ? std::vector<BlockType>{BlockType::MBConv} : s.later_blocks;
  for (BlockType type : types) {
    if (type == BlockType::MBConv) {
      for (int k : s.mbconv.kernels)
        for (int e : s.mbconv.expands)
          for (bool se : s.mbconv.se) {
            BlockConfig b;
            b.kernel = k, b.expand = e, b.se = se;
            out.push_back(b);
          }
    } else {
      for (int h : s.transformer.heads)
        for (int d : s.transformer.head_dims)
          for (int r : s.transformer.mlp_ratios) {
            BlockConfig b;
            b.type = BlockType::Transformer, b.heads = h, b.head_dim = d, b.mlp_ratio = r;
            out.push_back(b);
          }
    }
  }
  return out;
}

// Every configuration of one stage: width x depth x blocks.
std::vector<StageConfig> stage_choices(const StageSpace& s) {
  const std::vector<BlockConfig> firsts = block_choices(s, true), laters = block_choices(s, false);
  std::vector<StageConfig> out;
  for (int64_t w : s.widths)
    for (int depth : s.depths) {
      std::vector<StageConfig> partial{StageConfig{w, {}}};
      for (int j = 0; j < depth; ++j) {
        std::vector<StageConfig> next;
        for (const StageConfig& p : partial)
          for (const BlockConfig& b : j == 0 ? firsts : laters) {
            next.push_back(p);
            next.back().blocks.push_back(b);
          }
        partial = std::move(next);
      }
      out.insert(out.end(), partial.begin(), partial.end());
    }
  return out;
}

}  // namespace

std::vector<ArchConfig> enumerate_archs(const SearchSpace& space, int64_t limit) {
  std::vector<std::vector<StageConfig>> stages;
  double count = double(space.resolutions.size() * space.first_conv_widths.size() * space.head_conv_widths.size() *
                        space.head_fc_widths.size());
  for (const StageSpace& s : space.stages) {
    stages.push_back(stage_choices(s));
    count *= double(stages.back().size());
  }
  if (count > double(limit))
    throw InputError(fmt::format("{}: the space holds {:.3g} architectures, more than the {} that can be enumerated",
                                 space.file.empty() ? space.name : space.file, count, limit));
  std::vector<ArchConfig> out;
  out.reserve(size_t(count));
  for (int r : space.resolutions)
    for (int64_t f : space.first_conv_widths)
      for (int64_t hc : space.head_conv_widths)
        for (int64_t hf : space.head_fc_widths) {
          std::vector<ArchConfig> partial(1);
          partial[0].resolution = r, partial[0].first_conv_width = f;
          partial[0].head_conv_width = hc, partial[0].head_fc_width = hf;
          for (const std::vector<StageConfig>& choices : stages) {
            std::vector<ArchConfig> next;
            next.reserve(partial.size() * choices.size());
            for (const ArchConfig& p : partial)
              for (const StageConfig& c : choices) {
                next.push_back(p);
                next.back().stages.push_back(c);
              }
            partial = std::move(next);
          }
          out.insert(out.end(), partial.begin(), partial.end());
        }
  return out;
}

}  // namespace h4h
