#pragma once
// Supernet training and evaluation, as the CLI sees them (Torch-free header: nas/cli includes it
// without the LibTorch headers; the implementations live in nas/train/*.cpp and are built as the
// shared library libh4h_train.so, which the h4h binary loads only for the commands that train or
// evaluate — loading LibTorch costs about half a second, every other command starts in milliseconds).
//
// Contract: bad input (a missing or corrupt dataset, a space the supernet cannot realise, a corrupt
// or foreign checkpoint, a checkpoint that does not match the space or data, impossible options)
// throws InputError naming the file, or ParameterError naming the option (sim/core/parameter_error.h),
// before anything in the output directory is replaced.
// Outputs are written atomically: DIR/last.ckpt (temp file + rename), DIR/metrics.csv.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "models/space/arch_config.h"
#include "models/space/search_space.h"
#include "models/torch/runtime.h"

namespace h4h {

struct TrainOptions {
  std::string space_file;
  std::string data_spec = "fashion-mnist";
  std::string out_dir;
  int epochs = 5;           // total, both phases; the quick preset's default
  int phase1_epochs = -1;   // CNN-only epochs before the hybrid phase; -1: half of `epochs`
  bool one_phase = false;   // the baseline: the full hybrid space from the first step
  int64_t batch_size = 128;  // per process: under mpirun -n P a step trains on P x batch_size images
  int64_t max_steps = 0;    // stop after this many optimizer steps in all (0: run every epoch)
  uint64_t seed = 0;
  std::string device = "cpu";  // cpu | cuda (when the linked LibTorch has it)
  bool resume = false;         // continue from DIR/last.ckpt
  // Sandwich rule: per step the largest, the smallest and `random_subnets` random subnets.
  int random_subnets = 2;
  std::string optimizer = "adamw";  // adamw | sgd (momentum 0.9, Nesterov)
  double lr = -1;                   // peak learning rate; -1: 3e-3 (adamw), 0.1 (sgd)
  double weight_decay = -1;         // -1: 0.01 (adamw), 4e-5 (sgd)
  double warmup_epochs = 0.3;       // linear warm-up from 0, then cosine decay to 0
  double grad_clip = 5.0;           // max global L2 norm of the gradients; <= 0: no clipping
  double label_smoothing = 0.0;     // of the largest subnet's cross-entropy
  // Training augmentation: on (the dataset's standard one, data_spec.h), off, or auto: on for CIFAR-10
  // and ImageFolder data, off for (Fashion-)MNIST, whose short runs underfit (the quick preset
  // measured: val top-1 of the largest subnet after 4 epochs 89.5% without, 87.3% with it).
  std::string augment = "auto";
  // In-place distillation loss weight of the other subnets, chosen on the validation split over two
  // seeds (scripts/kd_weight_check.sh; the quick preset): the trainer's epoch-5 validation top-1 of
  // the largest and smallest subnets, averaged over seeds 1 and 2, is 90.91/87.99% at 0.25,
  // 90.93/88.07% at 0.35, 90.66/88.10% at 0.5 and 89.81/87.70% at 1.0; the seed moves each figure by
  // 0.3-0.9 point. 0.35 and 0.5 are indistinguishable (seed 2's 20 random subnets: mean 87.97% at 0.35,
  // 88.19% at 0.5); 1.0 is lower on every figure. At 2 the largest subnet trailed by 11 points after
  // two epochs: the students' loss swamps the shared weights.
  double kd_weight = 0.35;
  int64_t checkpoint_every = 100;   // optimizer steps between checkpoints (and at every epoch end)
  int threads = 0;                  // intra-op threads; 0: every core
  int blas_threads = kDefaultBlasThreads;  // OpenBLAS's own pool; 0: as threads (configure_torch_runtime)
  int workers = -1;                 // data-loader threads; -1: the dataset's default (default_loader_workers)
  int64_t val_count = -1;           // validation samples carved from training data; -1: the dataset's default
};

// What the trainer reports to its caller (the CLI draws the progress bar and the epoch lines).
struct TrainProgress {
  int64_t step = 0, total_steps = 0;  // optimizer steps done, and planned
  int64_t epoch = 0, epochs = 0;      // the epoch this step belongs to (1-based)
  int phase = 1;                      // 1: CNN-only subnets, 2: the full hybrid space
  double lr = 0;
  double loss = 0;        // the largest subnet's cross-entropy, mean over the last logging window
  double kd_loss = 0;     // the other subnets' distillation loss, mean over the window
  double train_top1 = 0;  // the largest subnet's training accuracy over the window
  double images_per_s = 0;
  double elapsed_s = 0;   // training time, across resumes
  bool epoch_end = false; // set once per finished epoch, with the validation figures below
  double val_top1_largest = -1, val_top1_smallest = -1;
  bool resumed = false;   // the first report after a resume
};
using TrainObserver = std::function<void(const TrainProgress&)>;

// Trains the supernet. `observe` (may be empty) is called after every step and at every epoch end.
void run_training(const TrainOptions& options, const TrainObserver& observe = {});

struct EvalOptions {
  std::string checkpoint;
  std::string arch = "largest";  // largest | smallest | random:N | FILE.json
  std::string split = "val";     // val | test
  std::string hw_file;           // given: estimated latency and energy per subnet
  std::string mapping = "optimal";
  std::string data_spec;         // empty: the checkpoint's
  int64_t batch_size = 256;
  int64_t bn_batches = 20;       // training batches for BN recalibration (0: keep the stored statistics)
  uint64_t seed = 0;             // of random:N and of the recalibration batches
  int threads = 0;
  std::string device = "cpu";
};

// {"results": [{"arch": {...}, "top1": 0.0, "macs": 0, "params": 0, ...}], ...} (docs/formats.md).
nlohmann::json run_evaluation(const EvalOptions& options);

// The search space a checkpoint was trained on (embedded in it). InputError as read_checkpoint_meta.
SearchSpace read_checkpoint_space(const std::string& path);

// Validation top-1 of subnets of a trained supernet, for the search: the checkpoint and the data are
// loaded once (open_scorer), then each subnet is made active, its BN statistics recalibrated on
// training batches (the same batches for every subnet: deterministic), and scored on the split.
struct ScorerOptions {
  std::string checkpoint;
  std::string split = "val";  // val | test (the search uses val; test is for final reports only)
  int64_t max_images = 0;     // score on the first N images of the split (0: all of it)
  int64_t batch_size = 256;
  int64_t bn_batches = 20;
  uint64_t seed = 0;          // of the recalibration batches
  int threads = 0;
  std::string device = "cpu";
};

class SubnetScorer {
 public:
  virtual ~SubnetScorer() = default;
  virtual const SearchSpace& space() const = 0;
  virtual int64_t split_size() const = 0;  // images each score is computed on
  virtual double top1(const ArchConfig& arch) = 0;
  // Recalibrates `arch` and writes it extracted as a static module (torch::save archive, atomically).
  virtual void save_subnet(const ArchConfig& arch, const std::string& path) = 0;
};

// InputError as run_evaluation.
std::unique_ptr<SubnetScorer> open_scorer(const ScorerOptions& options);

// `h4h export`: one subnet of a trained supernet, BN-recalibrated as `h4h eval` does, written as a
// standard ONNX model (opset 17; nas/train/onnx_graph_writer.h has the graph's contract). The
// model's metadata_props carry h4h.space, h4h.arch (ArchConfig JSON), and h4h.mapping when a mapping
// file is given (checked against the subnet's workload layers, stored normalised).
struct ExportOptions {
  std::string checkpoint;
  std::string arch = "largest";  // largest | smallest | FILE.json
  std::string output;            // the .onnx file; written atomically, untouched on any error
  std::string mapping;           // optional mapping JSON file (docs/formats.md "Mappings")
  std::string data_spec;         // recalibration data; empty: the checkpoint's
  int64_t batch_size = 256;
  int64_t bn_batches = 20;       // training batches for BN recalibration (0: the stored statistics, no data read)
  uint64_t seed = 0;             // of the recalibration batches
  bool dynamic_batch = true;     // batch dimension "N" (false: 1)
  int threads = 0;
  std::string device = "cpu";
};

// Returns {"output", "space", "arch", "key", "resolution", "input": [N, C, R, R], "nodes",
// "initializers", "macs", "params", "opset", "ir_version", "bytes", "bn_batches"}. InputError as run_evaluation, and for an arch outside the
// space, a bad mapping file, or an output path whose directory does not exist.
nlohmann::json export_onnx(const ExportOptions& options);

// The entry points of libh4h_train.so, looked up by the CLI with dlopen/dlsym (nas/cli/train_plugin.h).
struct TrainPluginApi {
  int version;  // kTrainPluginVersion of the library
  void (*run_training)(const TrainOptions&, const TrainObserver&);
  nlohmann::json (*run_evaluation)(const EvalOptions&);
  SearchSpace (*read_checkpoint_space)(const std::string&);
  std::unique_ptr<SubnetScorer> (*open_scorer)(const ScorerOptions&);
  nlohmann::json (*export_onnx)(const ExportOptions&);
};
constexpr int kTrainPluginVersion = 4;  // bump whenever TrainPluginApi or an options struct changes

}  // namespace h4h

extern "C" const h4h::TrainPluginApi* h4h_train_plugin_api();
