#pragma once
// Batching: shuffled epochs of transformed samples as contiguous float buffers + int64 labels, ready for
// torch::from_blob(batch.images.data(), batch.shape(), batch.strides(), torch::kFloat).
//
// Determinism: the epoch order is a Fisher-Yates shuffle with a stream derived from (seed, epoch), and
// each sample's augmentation draws from a stream derived from (seed, epoch, its position in the epoch
// order). A batch is therefore a pure function of (dataset, transform, options, seed, epoch, position):
// the same with any number of worker threads, and the same after a resume from a saved LoaderState —
// the whole generator state is (seed, epoch, position).
//
// One thread drives a loader (next, state, restore); its workers are internal.
//
// Sharding (distributed training): every shard computes the same epoch order; shard r of R takes the
// positions r, r + R, r + 2R, ... and each shard's epoch has floor(size / R) samples, so all shards take
// the same number of steps.
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <thread>
#include <vector>

#include "nas/data/dataset.h"
#include "nas/data/transform.h"

namespace h4h::data {

struct LoaderOptions {
  int64_t batch_size = 128;
  bool shuffle = true;     // false: dataset order every epoch
  bool drop_last = false;  // true: an epoch's last, short batch is skipped
  uint64_t seed = 0;
  Layout layout = Layout::NCHW;
  int workers = 0;   // threads preparing whole batches ahead of next(); 0: prepared inside next()
  int prefetch = 2;  // batches prepared ahead per worker
  int shard = 0, num_shards = 1;
};

struct Batch {
  std::vector<float> images;     // n images of c x h x w floats, NCHW or NHWC (each image contiguous)
  std::vector<int64_t> labels;   // n
  std::vector<int64_t> indices;  // the dataset index of each sample (for checks and debugging)
  int64_t n = 0, c = 0, h = 0, w = 0;
  Layout layout = Layout::NCHW;
  int64_t epoch = 0, position = 0;  // the epoch, and the first sample's position in this shard's epoch

  // Logical NCHW sizes, and the element strides of the memory layout (channels-last for NHWC).
  std::vector<int64_t> shape() const { return {n, c, h, w}; }
  std::vector<int64_t> strides() const;
};

// Where a loader stands: serialisable for checkpoints, restored with BatchLoader::restore.
struct LoaderState {
  uint64_t seed = 0;
  int64_t epoch = 0;
  int64_t position = 0;           // samples of this shard's epoch already handed out
  int64_t samples_per_epoch = 0;  // of this shard, to catch a resume against other data
  int shard = 0, num_shards = 1;

  // {"version": 1, "seed": ..., "epoch": ..., "position": ..., "samples_per_epoch": ..., "shard": ..., "num_shards":
  // ...}
  nlohmann::json to_json() const;
  std::string dump() const;
  // Throws InputError naming `source` on a missing key, a wrong type or a negative value.
  static LoaderState from_json(const nlohmann::json& doc, const std::string& source);
  static LoaderState parse(const std::string& text, const std::string& source);
  bool operator==(const LoaderState& o) const;
};

class BatchLoader {
 public:
  // Throws std::invalid_argument on bad options (batch_size < 1, workers < 0, prefetch < 1, a shard out
  // of range), InputError when this shard's epoch would be empty.
  BatchLoader(DatasetPtr data, Transform transform, LoaderOptions options);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  // Hands out the next batch of the current epoch in `batch`, reusing its previous buffers (so tensors
  // made with from_blob on the previous batch must be dropped or copied first). Returns false when the
  // epoch is exhausted — `batch` is then untouched and the loader has moved to the next epoch at
  // position 0 — so `while (loader.next(b)) {...}` runs one epoch. Rethrows an error raised while
  // preparing this batch (e.g. InputError for an undecodable image); that batch counts as handed out.
  bool next(Batch& batch);

  LoaderState state() const;
  // Continues from `s` (seed, epoch and position; the options' seed is replaced). Throws InputError when
  // it was saved for a different number of samples per epoch or another shard layout, or its position
  // lies beyond the epoch.
  void restore(const LoaderState& s);

  int64_t samples_per_epoch() const { return epoch_samples_; }
  int64_t batches_per_epoch() const;  // from position 0
  const LoaderOptions& options() const { return options_; }
  const Transform& transform() const { return transform_; }
  const Dataset& dataset() const { return *data_; }

 private:
  struct Ready {
    Batch batch;
    std::exception_ptr error;
  };
  struct Job {
    uint64_t seed = 0;
    int64_t epoch = 0, start = 0, count = 0;
    std::shared_ptr<const std::vector<size_t>> order;
  };

  void build(const Job& job, Batch& out) const;
  void worker_loop();
  // With mu_ held: moves to (epoch, position), dropping prepared batches.
  void reset_locked(uint64_t seed, int64_t epoch, int64_t position);
  Job job_locked(int64_t batch) const;
  int64_t total_batches_locked() const;

  DatasetPtr data_;
  Transform transform_;
  LoaderOptions options_;
  int64_t epoch_samples_ = 0;

  mutable std::mutex mu_;
  std::condition_variable work_cv_, ready_cv_;
  uint64_t generation_ = 0, seed_ = 0;
  int64_t epoch_ = 0, base_ = 0;            // the epoch, and the position its first pending batch starts at
  int64_t next_claim_ = 0, next_take_ = 0;  // batches after base_ claimed by workers / handed out
  std::shared_ptr<const std::vector<size_t>> order_;
  std::map<int64_t, Ready> ready_;
  std::vector<Batch> pool_;  // buffers to reuse
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// The epoch order of `size` samples: a permutation from (seed, epoch), or 0..size-1 when !shuffle.
std::vector<size_t> epoch_order(size_t size, uint64_t seed, int64_t epoch, bool shuffle);

}  // namespace h4h::data
