// h4h train --space FILE --data SPEC --out DIR [--epochs N] [--phase1-epochs K] [--one-phase]
//           [--batch-size B] [--max-steps S] [--seed S] [--device cpu|cuda] [--resume] [...]
#include <unistd.h>

#include <iostream>

#include <fmt/format.h>

#include "nas/cli/commands.h"
#include "nas/cli/progress.h"
#include "nas/cli/train_plugin.h"

namespace h4h {

namespace {

std::string minutes(double seconds) { return fmt::format("{}m{:02d}s", int(seconds) / 60, int(seconds) % 60); }

}  // namespace

void add_train_command(CLI::App& app, Action& action) {
  auto opt = std::make_shared<TrainOptions>();
  CLI::App* cmd = app.add_subcommand(
      "train", "Train a weight-sharing hybrid supernet (sandwich rule, in-place distillation, two phases)");
  cmd->add_option("--space", opt->space_file, "search-space YAML (models/spaces/*.yaml)")->required();
  cmd->add_option("--data", opt->data_spec,
                  "fashion-mnist | fashion-mnist:DIR | mnist:DIR | cifar10:DIR | imagefolder:DIR")
      ->capture_default_str();
  cmd->add_option("--out", opt->out_dir, "output directory (last.ckpt, metrics.csv)")->required();
  cmd->add_option("--epochs", opt->epochs, "epochs in all, both phases")->capture_default_str();
  cmd->add_option("--phase1-epochs", opt->phase1_epochs, "CNN-only epochs before the hybrid phase (default: half)");
  cmd->add_flag("--one-phase", opt->one_phase, "baseline: sample the full hybrid space from the first step");
  cmd->add_option("--batch-size", opt->batch_size, "images per step (per rank under mpirun)")->capture_default_str();
  cmd->add_option("--max-steps", opt->max_steps, "stop after S optimizer steps in all (0: every epoch)");
  cmd->add_option("--seed", opt->seed, "seed of initialisation, data order and subnet sampling")->capture_default_str();
  cmd->add_option("--device", opt->device, "cpu | cuda")->capture_default_str();
  cmd->add_flag("--resume", opt->resume, "continue from DIR/last.ckpt (starts fresh when there is none)");
  cmd->add_option("--random-subnets", opt->random_subnets, "random subnets per step besides largest and smallest")
      ->capture_default_str();
  cmd->add_option("--optimizer", opt->optimizer, "adamw | sgd")->capture_default_str();
  cmd->add_option("--lr", opt->lr, "peak learning rate (default: 3e-3 adamw, 0.1 sgd)");
  cmd->add_option("--weight-decay", opt->weight_decay, "(default: 0.01 adamw, 4e-5 sgd)");
  cmd->add_option("--warmup-epochs", opt->warmup_epochs, "linear warm-up, then cosine decay")->capture_default_str();
  cmd->add_option("--grad-clip", opt->grad_clip, "max gradient L2 norm (0: off)")->capture_default_str();
  cmd->add_option("--label-smoothing", opt->label_smoothing, "of the largest subnet's loss")->capture_default_str();
  cmd->add_option("--augment", opt->augment, "auto (on for CIFAR-10 / ImageFolder, off for Fashion-MNIST / MNIST) | on | off")
      ->capture_default_str();
  cmd->add_option("--kd-weight", opt->kd_weight, "weight of the in-place distillation loss")->capture_default_str();
  cmd->add_option("--checkpoint-every", opt->checkpoint_every, "steps between checkpoints")->capture_default_str();
  cmd->add_option("--threads", opt->threads, "intra-op threads (0: every core)")->capture_default_str();
  cmd->add_option("--blas-threads", opt->blas_threads,
                  "OpenBLAS threads for linear layers (0: as --threads; more pays off only for large GEMMs)")
      ->capture_default_str();
  cmd->add_option("--workers", opt->workers,
                  "data-loader threads (-1: 0 for Fashion-MNIST / MNIST / CIFAR-10, 1 for ImageFolder)")
      ->capture_default_str();
  cmd->add_option("--val-count", opt->val_count, "validation samples carved from the training data");
  cmd->callback([&action, opt] {
    action = [opt] {
      std::unique_ptr<ProgressBar> bar;
      train_plugin().run_training(*opt, [&](const TrainProgress& p) {
        if (p.resumed && p.step >= p.total_steps) {
          std::cout << fmt::format("{}/last.ckpt has finished all {} steps: nothing to train", opt->out_dir,
                                   p.total_steps)
                    << std::endl;
          return;
        }
        if (!bar) {
          if (p.resumed)  // the first report comes after the first step trained since the checkpoint
            std::cout << fmt::format("resumed at step {}/{}", p.step - 1, p.total_steps) << std::endl;
          bar = std::make_unique<ProgressBar>("train", long(p.total_steps));
        }
        bar->set(long(p.step), fmt::format("ph{} loss {:.3f} kd {:.3f} acc {:.1f}% {:.0f} img/s", p.phase, p.loss,
                                           p.kd_loss, 100 * p.train_top1, p.images_per_s));
        if (p.epoch_end) {
          if (::isatty(STDERR_FILENO)) std::cerr << "\n";  // end the redrawn bar line
          std::cout << fmt::format(
                           "epoch {}/{} phase {}  loss {:.3f}  kd {:.3f}  val top-1 largest {:.2f}%  smallest {:.2f}%  "
                           "{:.0f} img/s  {}",
                           p.epoch, p.epochs, p.phase, p.loss, p.kd_loss, 100 * p.val_top1_largest,
                           100 * p.val_top1_smallest, p.images_per_s, minutes(p.elapsed_s))
                    << std::endl;
        }
      });
      if (bar) bar->finish();
      std::cout << fmt::format("checkpoint: {}/last.ckpt  metrics: {}/metrics.csv\n", opt->out_dir, opt->out_dir);
      return 0;
    };
  });
}

}  // namespace h4h
