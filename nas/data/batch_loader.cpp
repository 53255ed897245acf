#include "nas/data/batch_loader.h"

#include <algorithm>
#include <stdexcept>

#include "nas/data/random.h"
#include "sim/core/error.h"

namespace h4h::data {
namespace {

// Salt of the epoch-order stream, distinct from every sample position.
constexpr uint64_t kOrderStream = ~uint64_t{0};

}  // namespace

std::vector<int64_t> Batch::strides() const {
  if (layout == Layout::NCHW) return {c * h * w, h * w, w, 1};
  return {h * w * c, 1, w * c, c};
}

std::vector<size_t> epoch_order(size_t size, uint64_t seed, int64_t epoch, bool shuffle_samples) {
  std::vector<size_t> order(size);
  for (size_t i = 0; i < size; ++i) order[i] = i;
  if (shuffle_samples) {
    SplitMix64 rng(mix_seed(seed, static_cast<uint64_t>(epoch), kOrderStream));
    shuffle(order, rng);
  }
  return order;
}

BatchLoader::BatchLoader(DatasetPtr data, Transform transform, LoaderOptions options)
    : data_(std::move(data)), transform_(std::move(transform)), options_(options) {
  const LoaderOptions& o = options_;
  if (!data_) throw std::invalid_argument("BatchLoader: no dataset");
  if (o.batch_size < 1) throw std::invalid_argument("BatchLoader: batch_size must be >= 1");
  if (o.workers < 0 || o.prefetch < 1) throw std::invalid_argument("BatchLoader: need workers >= 0, prefetch >= 1");
  if (o.num_shards < 1 || o.shard < 0 || o.shard >= o.num_shards)
    throw std::invalid_argument("BatchLoader: shard " + std::to_string(o.shard) + " of " +
                                std::to_string(o.num_shards));
  if (data_->shape().channels < 1) throw std::invalid_argument("BatchLoader: dataset without channels");
  epoch_samples_ = static_cast<int64_t>(data_->size()) / o.num_shards;
  if (epoch_samples_ == 0)
    throw_input_error(data_->source(), "",
                      std::to_string(data_->size()) + " samples, expected at least " + std::to_string(o.num_shards) +
                          " (one per shard)");
  {
    std::lock_guard<std::mutex> lock(mu_);
    reset_locked(o.seed, 0, 0);
  }
  for (int t = 0; t < o.workers; ++t) threads_.emplace_back([this] { worker_loop(); });
}

BatchLoader::~BatchLoader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  work_cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

int64_t BatchLoader::batches_per_epoch() const {
  const int64_t B = options_.batch_size;
  return options_.drop_last ? epoch_samples_ / B : (epoch_samples_ + B - 1) / B;
}

int64_t BatchLoader::total_batches_locked() const {
  const int64_t B = options_.batch_size, left = epoch_samples_ - base_;
  return options_.drop_last ? left / B : (left + B - 1) / B;
}

void BatchLoader::reset_locked(uint64_t seed, int64_t epoch, int64_t position) {
  ++generation_;
  seed_ = seed;
  epoch_ = epoch;
  base_ = position;
  next_claim_ = next_take_ = 0;
  order_ = std::make_shared<const std::vector<size_t>>(epoch_order(data_->size(), seed, epoch, options_.shuffle));
  for (auto& [index, ready] : ready_) pool_.push_back(std::move(ready.batch));
  ready_.clear();
  work_cv_.notify_all();
}

BatchLoader::Job BatchLoader::job_locked(int64_t batch) const {
  Job j;
  j.seed = seed_;
  j.epoch = epoch_;
  j.start = base_ + batch * options_.batch_size;
  j.count = std::min(options_.batch_size, epoch_samples_ - j.start);
  j.order = order_;
  return j;
}

void BatchLoader::build(const Job& job, Batch& b) const {
  const int C = data_->shape().channels, S = transform_.size();
  const size_t per_image = static_cast<size_t>(C) * S * S;
  b.n = job.count;
  b.c = C;
  b.h = b.w = S;
  b.layout = options_.layout;
  b.epoch = job.epoch;
  b.position = job.start;
  b.images.resize(per_image * job.count);
  b.labels.resize(job.count);
  b.indices.resize(job.count);
  for (int64_t i = 0; i < job.count; ++i) {
    // The sample's position in the (unsharded) epoch order keys its augmentation stream.
    const uint64_t global = static_cast<uint64_t>(options_.shard) +
                            static_cast<uint64_t>(job.start + i) * static_cast<uint64_t>(options_.num_shards);
    const size_t index = (*job.order)[global];
    Sample s = data_->get(index);
    if (s.image.channels != C)
      throw_input_error(data_->source(), "sample " + std::to_string(index),
                        std::to_string(s.image.channels) + " channels, expected " + std::to_string(C));
    SplitMix64 rng(mix_seed(job.seed, static_cast<uint64_t>(job.epoch), global));
    transform_.apply(s.image, rng, b.images.data() + per_image * i, options_.layout);
    b.labels[i] = s.label;
    b.indices[i] = static_cast<int64_t>(index);
  }
}

void BatchLoader::worker_loop() {
  const int64_t depth = static_cast<int64_t>(options_.workers) * options_.prefetch;
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock,
                  [&] { return stop_ || (next_claim_ < total_batches_locked() && next_claim_ < next_take_ + depth); });
    if (stop_) return;
    const int64_t index = next_claim_++;
    const uint64_t generation = generation_;
    const Job job = job_locked(index);
    Batch batch;
    if (!pool_.empty()) {
      batch = std::move(pool_.back());
      pool_.pop_back();
    }
    lock.unlock();
    std::exception_ptr error;
    try {
      build(job, batch);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (generation == generation_) {
      ready_[index] = Ready{std::move(batch), error};
      ready_cv_.notify_all();
    } else {
      pool_.push_back(std::move(batch));
    }
  }
}

bool BatchLoader::next(Batch& batch) {
  std::unique_lock<std::mutex> lock(mu_);
  if (next_take_ >= total_batches_locked()) {
    reset_locked(seed_, epoch_ + 1, 0);
    return false;
  }
  if (threads_.empty()) {
    const Job job = job_locked(next_take_++);
    lock.unlock();
    build(job, batch);
    return true;
  }
  const int64_t index = next_take_;
  ready_cv_.wait(lock, [&] { return ready_.count(index) > 0; });
  auto node = ready_.extract(index);
  ++next_take_;
  work_cv_.notify_all();
  if (batch.images.capacity() > 0) pool_.push_back(std::move(batch));
  if (node.mapped().error) {
    pool_.push_back(std::move(node.mapped().batch));
    std::rethrow_exception(node.mapped().error);
  }
  batch = std::move(node.mapped().batch);
  return true;
}

LoaderState BatchLoader::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  LoaderState s;
  s.seed = seed_;
  s.epoch = epoch_;
  s.position = std::min(base_ + next_take_ * options_.batch_size, epoch_samples_);
  s.samples_per_epoch = epoch_samples_;
  s.shard = options_.shard;
  s.num_shards = options_.num_shards;
  return s;
}

void BatchLoader::restore(const LoaderState& s) {
  const std::string where = "loader state";
  if (s.samples_per_epoch != epoch_samples_)
    throw_input_error(where, "samples_per_epoch",
                      "saved for " + std::to_string(s.samples_per_epoch) + " samples per epoch, this data has " +
                          std::to_string(epoch_samples_) + " (a different dataset?)");
  if (s.shard != options_.shard || s.num_shards != options_.num_shards)
    throw_input_error(where, "shard",
                      "saved for shard " + std::to_string(s.shard) + " of " + std::to_string(s.num_shards) +
                          ", this loader is shard " + std::to_string(options_.shard) + " of " +
                          std::to_string(options_.num_shards));
  if (s.epoch < 0 || s.position < 0 || s.position > epoch_samples_)
    throw_input_error(where, "position",
                      "epoch " + std::to_string(s.epoch) + " position " + std::to_string(s.position) + " outside [0, " +
                          std::to_string(epoch_samples_) + "]");
  std::lock_guard<std::mutex> lock(mu_);
  reset_locked(s.seed, s.epoch, s.position);
}

}  // namespace h4h::data
