#pragma once
// A hybrid CNN/ViT search space (Torch-free), read from YAML (models/spaces/*.yaml).
//
// A network is: a first conv, stages, and a head. A stage has an elastic width and depth; its first
// block is always an MBConv (it changes width and stride); each later block is an MBConv or, where
// the stage allows (`later_blocks`), a transformer block — H4H-NAS's fine-grained hybrid. MBConv
// choices: kernel, expansion ratio, squeeze-excite. Transformer choices: heads, head dimension, MLP
// ratio. The head is a 1x1 conv, global pooling, a fully-connected layer and the classifier.
// Contract: load/parse validate every key (unknown, missing, wrong type, empty or non-positive
// choice lists, impossible combinations) and throw InputError naming the file and the key path.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/workload.h"

namespace h4h {

enum class BlockType { MBConv, Transformer };
const char* block_type_name(BlockType type);

struct MbconvChoices {
  std::vector<int> kernels, expands;
  std::vector<bool> se;  // [false], [true] or [false, true]
};

struct TransformerChoices {
  std::vector<int> heads, head_dims, mlp_ratios;
};

struct StageSpace {
  std::string name;
  std::vector<int64_t> widths;
  std::vector<int> depths;
  int stride = 1;
  MbconvChoices mbconv;
  bool has_transformer = false;
  TransformerChoices transformer;
  std::vector<BlockType> later_blocks;  // types blocks >= 1 may take, in the order listed
};

struct SearchSpace {
  std::string name, file;
  int input_channels = 3;
  int num_classes = 1000;
  std::vector<int> resolutions;
  ActivationFn activation = ActivationFn::Swish;
  std::vector<int64_t> first_conv_widths;
  int first_conv_kernel = 3, first_conv_stride = 2;
  std::vector<StageSpace> stages;
  std::vector<int64_t> head_conv_widths, head_fc_widths;

  bool allows_transformers() const;
};

SearchSpace load_search_space(const std::string& path);
SearchSpace parse_search_space(const std::string& yaml_text, const std::string& file);

// log10 of the number of distinct architectures (for `h4h space show`).
double log10_space_size(const SearchSpace& space);

}  // namespace h4h
