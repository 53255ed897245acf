// run_training: the sandwich rule with in-place distillation, in two incremental phases.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <sstream>

#include "models/space/sampling.h"
#include "models/torch/runtime.h"
#include "nas/train/checkpoint.h"
#include "nas/train/data_parallel.h"
#include "nas/train/lr_schedule.h"
#include "nas/train/metrics_log.h"
#include "nas/train/subnet_eval.h"
#include "nas/train/torch_batch.h"
#include "nas/train/torch_device.h"
#include "nas/train/train_api.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/core/parameter_error.h"

namespace h4h {

using nlohmann::json;

namespace {

constexpr uint64_t kSampleStream = 0x5A4D'5749'4348ULL;  // separates subnet sampling from data order

// ---- options ----

double peak_lr(const TrainOptions& o) { return o.lr > 0 ? o.lr : (o.optimizer == "sgd" ? 0.1 : 3e-3); }
double weight_decay(const TrainOptions& o) {
  return o.weight_decay >= 0 ? o.weight_decay : (o.optimizer == "sgd" ? 4e-5 : 0.01);
}
int phase1_epochs(const TrainOptions& o) {
  if (o.one_phase) return 0;
  return o.phase1_epochs >= 0 ? o.phase1_epochs : o.epochs / 2;
}

void check_options(const TrainOptions& o) {
  const auto bad = [](const std::string& parameter, const std::string& what) { throw ParameterError(parameter, what); };
  if (o.space_file.empty()) bad("space_file", "a search-space YAML file is required");
  if (o.out_dir.empty()) bad("out_dir", "an output directory is required");
  if (o.epochs < 1) bad("epochs", "expected at least 1, got " + std::to_string(o.epochs));
  if (o.phase1_epochs > o.epochs)
    bad("phase1_epochs",
        "expected at most `epochs` (" + std::to_string(o.epochs) + "), got " + std::to_string(o.phase1_epochs));
  if (o.phase1_epochs < -1) bad("phase1_epochs", "expected >= 0");
  if (o.batch_size < 2) bad("batch_size", "expected at least 2 (batch norm needs two samples)");
  if (o.max_steps < 0) bad("max_steps", "expected >= 0");
  if (o.random_subnets < 0) bad("random_subnets", "expected >= 0");
  if (o.optimizer != "adamw" && o.optimizer != "sgd") bad("optimizer", "expected adamw or sgd, got " + o.optimizer);
  if (!(o.lr == -1 || o.lr > 0)) bad("lr", "expected a positive rate");
  if (!(o.warmup_epochs >= 0)) bad("warmup_epochs", "expected >= 0");
  if (!(o.label_smoothing >= 0 && o.label_smoothing < 1)) bad("label_smoothing", "expected a value in [0, 1)");
  if (!(o.kd_weight >= 0)) bad("kd_weight", "expected >= 0");
  if (o.checkpoint_every < 1) bad("checkpoint_every", "expected at least 1");
  if (o.workers < -1) bad("workers", "expected >= 0, or -1 for the dataset's default");
  if (o.blas_threads < 0) bad("blas_threads", "expected >= 0");
  if (o.augment != "auto" && o.augment != "on" && o.augment != "off")
    bad("augment", "expected auto, on or off, got '" + o.augment + "'");
}

bool augments(const TrainOptions& o, const data::DataSplits& d) {
  if (o.augment != "auto") return o.augment == "on";
  return d.spec.kind == data::DataKind::Cifar10 || d.spec.kind == data::DataKind::ImageFolder;
}

json options_to_json(const TrainOptions& o) {
  return {{"space_file", o.space_file},       {"data", o.data_spec},
          {"epochs", o.epochs},               {"phase1_epochs", phase1_epochs(o)},
          {"one_phase", o.one_phase},         {"batch_size", o.batch_size},
          {"max_steps", o.max_steps},         {"seed", o.seed},
          {"random_subnets", o.random_subnets}, {"optimizer", o.optimizer},
          {"lr", peak_lr(o)},                 {"weight_decay", weight_decay(o)},
          {"warmup_epochs", o.warmup_epochs}, {"grad_clip", o.grad_clip},
          {"label_smoothing", o.label_smoothing}, {"kd_weight", o.kd_weight},
          {"checkpoint_every", o.checkpoint_every}, {"val_count", o.val_count},
          {"augment", o.augment}};
}

// The run as it was started: the checkpoint's options; threads, BLAS threads, workers and device from
// this command.
TrainOptions options_from_json(const json& j, const TrainOptions& now, const std::string& path) {
  TrainOptions o = now;
  try {
    o.data_spec = j.at("data").get<std::string>();
    o.epochs = j.at("epochs").get<int>();
    o.phase1_epochs = j.at("phase1_epochs").get<int>();
    o.one_phase = j.at("one_phase").get<bool>();
    o.batch_size = j.at("batch_size").get<int64_t>();
    o.max_steps = j.at("max_steps").get<int64_t>();
    o.seed = j.at("seed").get<uint64_t>();
    o.random_subnets = j.at("random_subnets").get<int>();
    o.optimizer = j.at("optimizer").get<std::string>();
    o.lr = j.at("lr").get<double>();
    o.weight_decay = j.at("weight_decay").get<double>();
    o.warmup_epochs = j.at("warmup_epochs").get<double>();
    o.grad_clip = j.at("grad_clip").get<double>();
    o.label_smoothing = j.at("label_smoothing").get<double>();
    o.kd_weight = j.at("kd_weight").get<double>();
    o.checkpoint_every = j.at("checkpoint_every").get<int64_t>();
    o.val_count = j.at("val_count").get<int64_t>();
    o.augment = j.value("augment", std::string("on"));
  } catch (const json::exception& e) {
    throw InputError(path + ": h4h_meta: options: " + e.what());
  }
  check_options(o);
  return o;
}

// ---- optimizer ----

std::unique_ptr<torch::optim::Optimizer> make_optimizer(Supernet& net, const TrainOptions& o) {
  // No weight decay on biases and normalisation parameters (1-D tensors).
  std::vector<torch::Tensor> decay, no_decay;
  for (const torch::Tensor& p : net->parameters()) (p.dim() > 1 ? decay : no_decay).push_back(p);
  const double lr = peak_lr(o), wd = weight_decay(o);
  if (o.optimizer == "sgd") {
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(
                                   torch::optim::SGDOptions(lr).momentum(0.9).nesterov(true).weight_decay(wd)));
    groups.emplace_back(no_decay, std::make_unique<torch::optim::SGDOptions>(
                                      torch::optim::SGDOptions(lr).momentum(0.9).nesterov(true).weight_decay(0)));
    return std::make_unique<torch::optim::SGD>(std::move(groups), torch::optim::SGDOptions(lr));
  }
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(lr).weight_decay(wd)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(lr).weight_decay(0)));
  return std::make_unique<torch::optim::AdamW>(std::move(groups), torch::optim::AdamWOptions(lr));
}

void set_lr(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

// Weights outside the active slices must not move: undefined (not zero) gradients keep AdamW from
// decaying them and its moments from being updated.
void clear_grads(Supernet& net) {
  for (torch::Tensor& p : net->parameters()) p.mutable_grad() = torch::Tensor();
}

// ---- state that is not tensors ----


void make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
    throw InputError(path + ": cannot create the output directory: " + std::strerror(errno));
}

bool file_exists(const std::string& path) { return ::access(path.c_str(), F_OK) == 0; }

// The running means of a logging window.
struct Window {
  double loss = 0, kd = 0;
  int64_t correct = 0, seen = 0, steps = 0, kd_terms = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
};

}  // namespace

void run_training(const TrainOptions& requested, const TrainObserver& observe) {
  check_options(requested);
  const std::string ckpt_path = requested.out_dir + "/last.ckpt";
  const bool resuming = file_exists(ckpt_path);
  if (resuming && !requested.resume)
    throw InputError(ckpt_path + ": a checkpoint is already there; pass `resume` to continue that run, or choose "
                                 "another `out_dir`");
  json meta;
  TrainOptions o = requested;
  if (resuming) {
    meta = read_checkpoint_meta(ckpt_path);
    o = options_from_json(meta.at("options"), requested, ckpt_path);
  }

  const std::string space_text = read_text_file(o.space_file);
  const SearchSpace space = parse_search_space(space_text, o.space_file);
  if (resuming && meta.at("space_yaml") != space_text)
    throw InputError(ckpt_path + ": was trained on another search space than " + o.space_file);

  data::SplitOptions split;
  split.val_count = o.val_count;
  const data::DataSplits d = data::open_data(data::parse_data_spec(o.data_spec), split);
  if (resuming && meta.at("data") != d.describe())
    throw InputError(ckpt_path + ": was trained on other data than `data_spec` " + o.data_spec + " (" +
                     meta.at("data").dump() + ")");
  if (d.shape.channels != space.input_channels)
    throw InputError(o.space_file + ": input_channels: " + std::to_string(space.input_channels) + ", but " +
                     o.data_spec + " has " + std::to_string(d.shape.channels) + "-channel images");
  if (d.num_classes != space.num_classes)
    throw InputError(o.space_file + ": num_classes: " + std::to_string(space.num_classes) + ", but " + o.data_spec +
                     " has " + std::to_string(d.num_classes) + " classes");

  const torch::Device device = parse_torch_device(o.device);
  dist::Communicator& comm = dist::Communicator::world();
  if (resuming && meta.value("ranks", 1) != comm.size())
    throw InputError(ckpt_path + ": was trained by " + std::to_string(meta.value("ranks", 1)) +
                     " process(es); resume it with as many (mpirun -n), this job has " + std::to_string(comm.size()));
  configure_torch_runtime(o.threads > 0 ? o.threads : dist::cores_per_rank(comm), o.blas_threads);
  torch::manual_seed(o.seed);
  Supernet net(space);
  net->to(device);
  DataParallel parallel(net, comm);
  net->train();
  std::unique_ptr<torch::optim::Optimizer> optimizer = make_optimizer(net, o);

  const int data_resolution = *std::max_element(space.resolutions.begin(), space.resolutions.end());
  data::LoaderOptions loader_options;
  loader_options.batch_size = o.batch_size;
  loader_options.drop_last = true;
  loader_options.seed = o.seed;
  loader_options.layout = data::Layout::NHWC;
  loader_options.workers = o.workers == -1 ? data::default_loader_workers(d.spec.kind) : o.workers;
  loader_options.shard = comm.rank();  // each rank its shard of every global batch of ranks x batch_size
  loader_options.num_shards = comm.size();
  const data::TransformOptions transform =
      augments(o, d) ? data::train_transform(d, data_resolution) : data::eval_transform(d, data_resolution);
  data::BatchLoader loader(d.train, data::Transform(transform), loader_options);

  const int64_t steps_per_epoch = loader.batches_per_epoch();
  int64_t total_steps = int64_t(o.epochs) * steps_per_epoch;
  if (o.max_steps > 0) total_steps = std::min(total_steps, o.max_steps);
  const int64_t phase1_steps = std::llround(double(total_steps) * phase1_epochs(o) / o.epochs);
  const LrSchedule schedule{peak_lr(o), std::llround(o.warmup_epochs * double(steps_per_epoch)), total_steps};

  Rng sample_rng(o.seed ^ kSampleStream);
  int64_t step = 0;
  double elapsed_before = 0;
  MetricsLog metrics(o.out_dir + "/metrics.csv");
  if (resuming) {
    load_checkpoint_state(ckpt_path, net, optimizer.get());
    step = meta.at("step").get<int64_t>();
    elapsed_before = meta.value("elapsed_s", 0.0);
    data::LoaderState state = data::LoaderState::from_json(meta.at("loader"), ckpt_path + ": h4h_meta: loader");
    state.shard = comm.rank();  // rank 0 wrote it; every shard stands at the same position
    loader.restore(state);
    sample_rng = rng_from_text(meta.at("sample_rng").get<std::string>(), ckpt_path + ": h4h_meta: sample_rng");
    if (meta.at("total_steps").get<int64_t>() != total_steps)
      throw InputError(ckpt_path + ": planned " + meta.at("total_steps").dump() + " steps, this data gives " +
                       std::to_string(total_steps));
    metrics.resume(step);
  }
  make_dir(o.out_dir);
  if (parallel.writes_files()) {  // temp files of a run killed mid-write
    remove_stale_temp_files(ckpt_path);
    remove_stale_temp_files(o.out_dir + "/metrics.csv");
  }

  SubnetEvalOptions eval_options;
  eval_options.data_resolution = data_resolution;
  eval_options.bn_batches = 10;
  eval_options.seed = o.seed;
  eval_options.device = device;
  const SubnetEvaluator evaluator(d, eval_options);

  const auto run_start = std::chrono::steady_clock::now();
  const auto elapsed = [&] {
    return elapsed_before + std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start).count();
  };
  const auto save = [&] {
    json m{{"format", kCheckpointFormat},
           {"version", kCheckpointVersion},
           {"space_yaml", space_text},
           {"space_file", o.space_file},
           {"data", d.describe()},
           {"options", options_to_json(o)},
           {"step", step},
           {"total_steps", total_steps},
           {"phase1_steps", phase1_steps},
           {"steps_per_epoch", steps_per_epoch},
           {"loader", loader.state().to_json()},
           {"sample_rng", rng_to_text(sample_rng)},
           {"ranks", comm.size()},
           {"elapsed_s", elapsed()}};
    if (!parallel.writes_files()) return;
    save_checkpoint(ckpt_path, m, net, optimizer.get());
    metrics.write();
  };

  TrainProgress progress;
  progress.total_steps = total_steps;
  progress.epochs = (total_steps + steps_per_epoch - 1) / steps_per_epoch;
  progress.resumed = resuming;
  Window window;
  const int64_t log_every = std::max<int64_t>(1, std::min<int64_t>(50, steps_per_epoch / 4));
  const ArchConfig largest_hybrid = largest_arch(space), smallest_hybrid = smallest_arch(space);
  const ArchConfig largest_cnn = largest_cnn_arch(space), smallest_cnn = smallest_cnn_arch(space);
  namespace F = torch::nn::functional;

  data::Batch batch;
  while (step < total_steps) {
    if (!loader.next(batch)) continue;  // the loader has moved to the next epoch
    const bool phase1 = step < phase1_steps;
    const ArchConfig& largest = phase1 ? largest_cnn : largest_hybrid;
    const ArchConfig& smallest = phase1 ? smallest_cnn : smallest_hybrid;
    const double lr = schedule.at(step);
    set_lr(*optimizer, lr);
    clear_grads(net);

    const torch::Tensor images = batch_images(batch, device), labels = batch_labels(batch, device);
    std::map<int, torch::Tensor> resized;  // the batch at each resolution used this step, resized once
    const auto input = [&](int resolution) -> const torch::Tensor& {
      torch::Tensor& x = resized[resolution];
      if (!x.defined()) x = at_resolution(images, resolution);
      return x;
    };
    net->set_active_subnet(largest);
    const torch::Tensor teacher_logits = net->forward(input(largest.resolution));
    const torch::Tensor loss =
        F::cross_entropy(teacher_logits, labels, F::CrossEntropyFuncOptions().label_smoothing(o.label_smoothing));
    loss.backward();
    const torch::Tensor soft_targets = torch::softmax(teacher_logits.detach(), 1);
    // This step's figures, summed over the ranks: loss, distillation loss, correct, images.
    double step_stats[4] = {loss.item<double>(), 0, double(teacher_logits.argmax(1).eq(labels).sum().item<int64_t>()),
                            double(batch.n)};

    std::vector<ArchConfig> students{smallest};
    for (int i = 0; i < o.random_subnets; ++i) students.push_back(random_arch(space, sample_rng, phase1));
    for (const ArchConfig& arch : students) {
      net->set_active_subnet(arch);
      const torch::Tensor logits = net->forward(input(arch.resolution));
      const torch::Tensor kd = -(soft_targets * torch::log_softmax(logits, 1)).sum(1).mean();
      (kd * o.kd_weight).backward();
      step_stats[1] += kd.item<double>();
    }
    parallel.sum(step_stats, 4);
    window.loss += step_stats[0] / parallel.ranks();
    window.kd += step_stats[1] / parallel.ranks();
    window.kd_terms += int64_t(students.size());
    window.correct += int64_t(step_stats[2]);
    window.seen += int64_t(step_stats[3]);
    parallel.average_gradients();
    if (o.grad_clip > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), o.grad_clip);
    optimizer->step();
    ++step;
    ++window.steps;

    const bool epoch_end = step % steps_per_epoch == 0 || step == total_steps;
    progress.step = step;
    progress.epoch = (step - 1) / steps_per_epoch + 1;
    progress.phase = phase1 ? 1 : 2;
    progress.lr = lr;
    progress.elapsed_s = elapsed();
    const double window_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - window.start).count();
    progress.loss = window.loss / double(window.steps);
    progress.kd_loss = window.kd_terms ? window.kd / double(window.kd_terms) : 0;
    progress.train_top1 = window.seen ? double(window.correct) / double(window.seen) : 0;
    progress.images_per_s = window_s > 0 ? double(window.seen) / window_s : 0;
    progress.epoch_end = false;
    progress.val_top1_largest = progress.val_top1_smallest = -1;
    if (epoch_end) {
      progress.epoch_end = true;
      progress.val_top1_largest = evaluator.top1(net, largest, d.val);
      progress.val_top1_smallest = evaluator.top1(net, smallest, d.val);
    }
    if (epoch_end || step % log_every == 0) {
      metrics.add(progress);
      window = Window{};
    }
    if (observe && parallel.writes_files()) observe(progress);
    progress.resumed = false;
    if (epoch_end || step % o.checkpoint_every == 0) save();
  }
  if (resuming && step == meta.at("step").get<int64_t>() && observe && parallel.writes_files()) {
    progress.step = step;
    progress.elapsed_s = elapsed_before;
    observe(progress);  // nothing left to do: report where the run stands
  }
}

}  // namespace h4h
