#include <gtest/gtest.h>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "nas/train/checkpoint.h"
#include "nas/train/train_api.h"
#include "sim/core/error.h"
#include "tests/nas/train/fixtures.h"

namespace h4h {

namespace {

TrainOptions tiny_options(const test::TinySetup& s) {
  TrainOptions o;
  o.space_file = s.space;
  o.data_spec = s.data;
  o.out_dir = s.out;
  o.epochs = 2;
  o.batch_size = 8;
  o.val_count = 16;  // 80 training images: 10 steps per epoch
  o.checkpoint_every = 3;
  o.threads = 1;
  o.workers = 0;
  o.seed = 7;
  return o;
}

Supernet load_net(const std::string& ckpt) {
  Supernet net(read_checkpoint_space(ckpt));
  load_checkpoint_state(ckpt, net, nullptr);
  return net;
}

// Max |a - b| over every parameter and buffer.
double max_difference(torch::nn::Module& a, torch::nn::Module& b) {
  double worst = 0;
  const auto pb = b.named_parameters();
  for (const auto& item : a.named_parameters())
    worst = std::max(worst, (item.value() - pb[item.key()]).abs().max().item<double>());
  const auto bb = b.named_buffers();
  for (const auto& item : a.named_buffers())
    if (item.value().is_floating_point())
      worst = std::max(worst, (item.value() - bb[item.key()]).abs().max().item<double>());
  return worst;
}

struct Interrupt {};

std::vector<std::string> logged_steps(const std::string& metrics_csv) {
  std::vector<std::string> steps;
  std::istringstream in(test::read_file(metrics_csv));
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) steps.push_back(line.substr(0, line.find(',')));
  return steps;
}

}  // namespace

TEST(Trainer, SameSeedGivesTheSameWeightsAndAResumedRunMatchesAnUninterruptedOne) {
  test::TinySetup a, b;
  std::vector<TrainProgress> reports;
  run_training(tiny_options(a), [&](const TrainProgress& p) { reports.push_back(p); });
  ASSERT_EQ(reports.back().step, 20);
  EXPECT_EQ(reports.back().total_steps, 20);
  int epoch_ends = 0;
  for (const TrainProgress& p : reports) {
    if (!p.epoch_end) continue;
    ++epoch_ends;
    EXPECT_GE(p.val_top1_largest, 0);
    EXPECT_LE(p.val_top1_largest, 1);
  }
  EXPECT_EQ(epoch_ends, 2);
  EXPECT_EQ(reports[0].phase, 1);  // half the epochs CNN-only by default
  EXPECT_EQ(reports.back().phase, 2);

  // The second run dies after step 8 (its last checkpoint: step 6), then resumes.
  TrainOptions ob = tiny_options(b);
  EXPECT_THROW(run_training(ob, [](const TrainProgress& p) {
                 if (p.step == 8) throw Interrupt{};
               }),
               Interrupt);
  EXPECT_EQ(read_checkpoint_meta(b.out + "/last.ckpt")["step"], 6);
  ob.resume = true;
  bool first = true;
  run_training(ob, [&](const TrainProgress& p) {
    if (first) {
      EXPECT_TRUE(p.resumed);
      EXPECT_EQ(p.step, 7);
    }
    first = false;
  });
  Supernet na = load_net(a.out + "/last.ckpt"), nb = load_net(b.out + "/last.ckpt");
  EXPECT_EQ(max_difference(*na, *nb), 0.0) << "bit-equal with one thread";
  // metrics.csv holds each logged step once, as the uninterrupted run's.
  EXPECT_EQ(logged_steps(b.out + "/metrics.csv"), logged_steps(a.out + "/metrics.csv"));
  EXPECT_FALSE(logged_steps(a.out + "/metrics.csv").empty());
}

TEST(Trainer, PhaseOneLeavesTransformerWeightsUntouchedAndOnePhaseTrainsThem) {
  const auto transformer_moved = [](const TrainOptions& o) {
    run_training(o);
    Supernet trained = load_net(o.out_dir + "/last.ckpt");
    torch::manual_seed(o.seed);
    Supernet fresh(read_checkpoint_space(o.out_dir + "/last.ckpt"));
    const auto init = fresh->named_parameters();
    bool transformer = false, mbconv = false;
    for (const auto& item : trained->named_parameters()) {
      const bool moved = !torch::equal(item.value(), init[item.key()]);
      if (item.key().find("transformer") != std::string::npos) transformer |= moved;
      if (item.key().find("mbconv") != std::string::npos) mbconv |= moved;
    }
    EXPECT_TRUE(mbconv);
    return transformer;
  };
  test::TinySetup a, b;
  TrainOptions only_phase1 = tiny_options(a);
  only_phase1.phase1_epochs = 2;
  only_phase1.max_steps = 6;
  EXPECT_FALSE(transformer_moved(only_phase1));
  TrainOptions one_phase = tiny_options(b);
  one_phase.one_phase = true;
  one_phase.max_steps = 6;
  EXPECT_TRUE(transformer_moved(one_phase));
}

TEST(Trainer, EvaluationReportsTopOneMacsAndParamsPerSubnet) {
  test::TinySetup s;
  TrainOptions o = tiny_options(s);
  o.max_steps = 4;
  run_training(o);
  EvalOptions e;
  e.checkpoint = s.out + "/last.ckpt";
  e.arch = "random:3";
  e.batch_size = 16;
  e.bn_batches = 2;
  e.threads = 1;
  const nlohmann::json doc = run_evaluation(e);
  ASSERT_EQ(doc["results"].size(), 3u);
  EXPECT_EQ(doc["split"], "val");
  EXPECT_EQ(doc["split_size"], 16);
  const SearchSpace space = read_checkpoint_space(e.checkpoint);
  for (const nlohmann::json& r : doc["results"]) {
    EXPECT_GE(r["top1"].get<double>(), 0);
    EXPECT_LE(r["top1"].get<double>(), 1);
    const WorkloadTotals totals = count_workload(arch_to_workload(arch_from_json(r["arch"], space, "r"), space));
    EXPECT_EQ(r["macs"], totals.macs);
    EXPECT_EQ(r["params"], totals.params);
  }
  e.arch = "smallest";
  e.split = "test";
  const nlohmann::json test_doc = run_evaluation(e);
  EXPECT_EQ(test_doc["split_size"], 40);
  // The same subnet and seed give the same figure.
  EXPECT_EQ(run_evaluation(e)["results"][0]["top1"], test_doc["results"][0]["top1"]);
}

TEST(Trainer, BadInputIsAnInputErrorAndOverwritesNothing) {
  test::TinySetup s;
  TrainOptions o = tiny_options(s);
  o.max_steps = 2;
  run_training(o);
  const std::string ckpt = s.out + "/last.ckpt", before = test::read_file(ckpt);
  EXPECT_THROW(run_training(o), InputError);  // a checkpoint is there and --resume was not given

  TrainOptions bad = o;
  bad.phase1_epochs = 5;
  EXPECT_THROW(run_training(bad), InputError);
  bad = o;
  bad.optimizer = "lion";
  EXPECT_THROW(run_training(bad), InputError);
  bad = o;
  bad.workers = -2;
  bad.out_dir = s.dir.file("other");
  EXPECT_THROW(run_training(bad), InputError);
  EXPECT_FALSE(std::filesystem::exists(s.dir.file("other")));
  bad = o;
  bad.data_spec = "fashion-mnist:" + s.dir.file("nowhere");
  bad.out_dir = s.dir.file("other");
  EXPECT_THROW(run_training(bad), InputError);
  EXPECT_FALSE(std::filesystem::exists(s.dir.file("other")));

  // A space for RGB images against grey data; a space with an impossible choice.
  std::string rgb = test::kTinySpaceYaml;
  rgb.replace(rgb.find("input_channels: 1"), 17, "input_channels: 3");
  test::write_file(s.dir.file("rgb.yaml"), rgb);
  bad = o;
  bad.space_file = s.dir.file("rgb.yaml");
  bad.out_dir = s.dir.file("other");
  EXPECT_THROW(run_training(bad), InputError);
  std::string even = test::kTinySpaceYaml;
  even.replace(even.find("kernels: [3, 5]"), 15, "kernels: [3, 4]");
  test::write_file(s.dir.file("even.yaml"), even);
  bad.space_file = s.dir.file("even.yaml");
  EXPECT_THROW(run_training(bad), InputError);

  // Resuming against another space.
  bad = o;
  bad.resume = true;
  bad.space_file = s.dir.file("rgb.yaml");
  EXPECT_THROW(run_training(bad), InputError);
  EXPECT_EQ(test::read_file(ckpt), before);

  EvalOptions e;
  e.checkpoint = ckpt;
  e.arch = "random:0";
  EXPECT_THROW(run_evaluation(e), InputError);
  e.arch = "largest";
  e.split = "train";
  EXPECT_THROW(run_evaluation(e), InputError);
  e.split = "val";
  e.checkpoint = s.dir.file("tiny.yaml");  // not a checkpoint
  EXPECT_THROW(run_evaluation(e), InputError);
}

}  // namespace h4h
