#pragma once
// Supernet checkpoints: one file (LibTorch's zip archive) holding
//   h4h_meta   the JSON document below, as a string
//   model      every parameter and buffer of the supernet, by its stable name
//   optimizer  the optimizer's state (moments, step counts), when training
//   torch_rng  LibTorch's default CPU generator state
// The meta document: {"format": "h4h-supernet-checkpoint", "version": 1, "space_yaml": "...",
// "space_file": "...", "data": <DataSplits::describe()>, "options": {...}, "step": N, "total_steps": N,
// "phase1_steps": N, "steps_per_epoch": N, "loader": <LoaderState>, "sample_rng": "<mt19937_64 state>"}.
// Writes are atomic (temp file beside the target, fsync, rename): a failed write leaves the previous
// checkpoint intact.
#include <torch/torch.h>

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "models/torch/supernet.h"

namespace h4h {

constexpr const char* kCheckpointFormat = "h4h-supernet-checkpoint";
constexpr int kCheckpointVersion = 1;

// `optimizer` may be null (a weights-only checkpoint). Throws std::runtime_error naming `path` when
// the file cannot be written.
void save_checkpoint(const std::string& path, const nlohmann::json& meta, Supernet& net,
                     torch::optim::Optimizer* optimizer);

// Writes a LibTorch archive to `path` atomically: `save` hands the archive to the writer it is given
// (OutputArchive::save_to(writer), torch::save(value, writer)); the bytes go to a temp file beside
// `path`, which is fsynced and renamed over it. On failure (a full disk, an I/O error) the previous
// file is intact, the temp file is removed, and std::runtime_error names `path` and the reason.
using ArchiveWriter = std::function<size_t(const void*, size_t)>;
void write_archive_atomic(const std::string& path, const std::function<void(const ArchiveWriter&)>& save);

// Reads and checks the meta document. Throws InputError naming `path` when the file is missing,
// unreadable, corrupt, not an h4h checkpoint, or of another version.
nlohmann::json read_checkpoint_meta(const std::string& path);

// The checkpoint's search space (parsed from its space_yaml).
SearchSpace checkpoint_space(const nlohmann::json& meta, const std::string& path);

// Loads the weights (and, when `optimizer` is given, its state and the Torch RNG state) into a
// supernet built from checkpoint_space(). Throws InputError naming `path` when the tensors do not
// match the network.
void load_checkpoint_state(const std::string& path, Supernet& net, torch::optim::Optimizer* optimizer);

}  // namespace h4h
