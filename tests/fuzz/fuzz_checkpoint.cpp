// Supernet checkpoints (nas/train/checkpoint.h) as `h4h eval`, `h4h export` and `h4h train --resume`
// load them: read_checkpoint_meta, checkpoint_space, a supernet built from that space,
// load_checkpoint_state with the trainer's optimizer (AdamW, two parameter groups), and the meta
// fields those commands read afterwards (options, loader state, sample RNG, steps).
// Input: a whole checkpoint file (LibTorch's zip archive, starting "PK"), or else an h4h_meta JSON
// document that the harness stores in an archive together with the weights, optimizer state and RNG
// state of the supernet of tests/fuzz/checkpoint_space.yaml; the archive's CRCs stop most mutations
// of a whole file early, the second form reaches the meta checks and load_checkpoint_state's shape
// checks.
#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include "fuzz_common.h"
#include "models/space/sampling.h"
#include "models/torch/supernet.h"
#include "nas/data/batch_loader.h"
#include "nas/train/checkpoint.h"
#include "sim/core/file_io.h"
#include "tests/support/build_paths.h"

namespace {

using nlohmann::json;

std::unique_ptr<torch::optim::Optimizer> trainer_optimizer(h4h::Supernet& net) {
  std::vector<torch::Tensor> decay, no_decay;
  for (const torch::Tensor& p : net->parameters()) (p.dim() > 1 ? decay : no_decay).push_back(p);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-3)));
  groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(torch::optim::AdamWOptions(1e-3)));
  return std::make_unique<torch::optim::AdamW>(std::move(groups), torch::optim::AdamWOptions(1e-3));
}

// The archive of a checkpoint of the tiny space's supernet with `meta_text` as its h4h_meta.
void write_archive(const std::string& path, const std::string& meta_text) {
  static h4h::Supernet net = [] {
    torch::manual_seed(0);
    return h4h::Supernet(h4h::parse_search_space(
        h4h::read_text_file(h4h::test::source_dir() + "/tests/fuzz/checkpoint_space.yaml"), "checkpoint_space.yaml"));
  }();
  static std::unique_ptr<torch::optim::Optimizer> optimizer = trainer_optimizer(net);
  torch::serialize::OutputArchive archive;
  archive.write("h4h_meta", c10::IValue(meta_text));
  torch::serialize::OutputArchive model, optim;
  net->save(model);
  archive.write("model", model);
  optimizer->save(optim);
  archive.write("optimizer", optim);
  archive.write("torch_rng", at::detail::getDefaultCPUGenerator().get_state());
  archive.save_to(path);
}

// The meta fields that `h4h eval` (eval_session.cpp) and `h4h train --resume` (trainer.cpp) read
// after read_checkpoint_meta, read the way they read them.
void read_meta_like_the_commands(const json& meta, const std::string& path) {
  const json& options = meta.at("options");
  (void)options.value("val_count", int64_t(-1));
  (void)options.value("data", std::string("fashion-mnist"));
  (void)meta.at("step").get<int64_t>();
  (void)meta.at("total_steps").get<int64_t>();
  (void)meta.value("elapsed_s", 0.0);
  (void)meta.value("ranks", 1);
  (void)h4h::data::LoaderState::from_json(meta.at("loader"), path + ": h4h_meta: loader");
  (void)h4h::rng_from_text(meta.at("sample_rng").get<std::string>(), path + ": h4h_meta: sample_rng");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  static const fuzz::ScratchFile file("last.ckpt");
  torch::set_num_threads(1);
  const std::string input = fuzz::as_string(data, size);
  if (input.rfind("PK", 0) == 0) file.write(input);
  else write_archive(file.path(), input);
  (void)fuzz::accepts([&] {
    const json meta = read_checkpoint_meta(file.path());
    read_meta_like_the_commands(meta, file.path());
    const SearchSpace space = checkpoint_space(meta, file.path());
    Supernet net(space);
    std::unique_ptr<torch::optim::Optimizer> optimizer = trainer_optimizer(net);
    load_checkpoint_state(file.path(), net, optimizer.get());
  });
  return 0;
}
