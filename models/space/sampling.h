#pragma once
// Sampling and evolution operators over a SearchSpace. All randomness comes from the caller's
// generator, so a seed reproduces a run exactly (on any platform: choices are drawn with
// `rng() % n`, not std::uniform_int_distribution, whose output is implementation-defined).
#include <random>
#include <string>

#include "models/space/arch_config.h"

namespace h4h {

using Rng = std::mt19937_64;

// A generator's full state as text (for checkpoints and saved searches), and back; InputError
// naming `where` when the text is not a state.
std::string rng_to_text(const Rng& rng);
Rng rng_from_text(const std::string& text, const std::string& where);

// Every choice at its smallest (block types: the first listed in later_blocks).
ArchConfig smallest_arch(const SearchSpace& space);
// Every choice at its largest (block types: the last listed in later_blocks).
ArchConfig largest_arch(const SearchSpace& space);
// Uniform per choice. `cnn_only`: every block an MBConv (phase 1 of the two-phase training).
ArchConfig random_arch(const SearchSpace& space, Rng& rng, bool cnn_only = false);

// Resamples each gene (resolution, widths, depths, each block's choices) with probability `p`;
// a deeper stage gets freshly sampled blocks, a shallower one drops its last blocks.
ArchConfig mutate_arch(const ArchConfig& arch, const SearchSpace& space, Rng& rng, double p);
// Each gene from either parent with equal probability; a stage's blocks follow its depth's parent
// where the other parent has no block at that index.
ArchConfig crossover_arch(const ArchConfig& a, const ArchConfig& b, const SearchSpace& space, Rng& rng);

// The block types a search may use (the paper's comparison of hybrid against CNN-only and
// transformer-heavy models): hybrid (any), cnn (every block that may be an MBConv is one),
// transformer (every block that may be a transformer is one). First blocks stay MBConvs.
enum class BlockFamily { Hybrid, CnnOnly, TransformerHeavy };
BlockFamily parse_block_family(const std::string& name);  // hybrid | cnn | transformer; ParameterError (blocks) otherwise
const char* block_family_name(BlockFamily family);
bool in_family(const ArchConfig& arch, const SearchSpace& space, BlockFamily family);
// `arch` with every block of the wrong type replaced by a random block of the family's type.
ArchConfig restrict_blocks(const ArchConfig& arch, const SearchSpace& space, BlockFamily family, Rng& rng);

}  // namespace h4h
