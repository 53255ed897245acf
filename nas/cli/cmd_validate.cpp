// h4h validate (--space FILE --samples N [--seed S] | --models LIST) --hw FILE [--set KEY=VALUE ...]
//              [--mapping SCHEMA|FILE] [--objective latency|energy|edp] [--out DIR] [--json]
//              [--jobs J] [--timeout SECONDS] [--check]
//              [--max-sim-events N] [--max-sim-cycles N] [--max-sim-memory-mb MB]
// The analytical estimator against the SystemC simulator on many workloads: MAPE, max |error| and
// Kendall tau for latency and energy, per-layer errors by op kind, and (with --out) a CSV row per
// sample, the per-op table as CSV, a JSON summary and scatter plots (validate_report.h).
// Exit codes: 2 bad input (unknown space or model, samples <= 0, a mapping or candidate the
// estimator rejects, a sample whose simulation is predicted to cross a --max-* limit of
// sim/blocksim/sim_budget.h: nothing is simulated); 1 a simulation failed, or --check and a target
// was not met; 0 otherwise.
// Outputs are written atomically.
#include <filesystem>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "nas/apps/validate_report.h"
#include "nas/apps/validate_run.h"
#include "nas/cli/commands.h"
#include "nas/cli/inputs.h"
#include "nas/cli/progress.h"
#include "nas/cli/system_options.h"
#include "nas/cli/validate_view.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

namespace {

// Creates `path` and its missing parents.
void make_dir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw std::runtime_error(path + ": cannot create directory: " + ec.message());
}

}  // namespace

void add_validate_command(CLI::App& app, Action& action) {
  struct Options {
    std::string space, models, hw, mapping = "rule", objective = "latency", out;
    std::vector<std::string> sets;
    int samples = 0, jobs = 0;
    uint64_t seed = 1;
    bool json = false, check = false;
    double timeout = 0;
    SimLimits limits;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("validate", "Estimator vs SystemC simulator on random subnets or zoo models: MAPE, max error, Kendall tau");
  auto* space = cmd->add_option("--space", opt->space, "search-space YAML to sample random subnets from");
  cmd->add_option("--samples", opt->samples, "how many random subnets (with --space)");
  cmd->add_option("--seed", opt->seed, "random seed for sampling")->capture_default_str();
  auto* models = cmd->add_option("--models", opt->models, "comma-separated zoo models or workload files, or 'all'");
  space->excludes(models);
  add_system_options(cmd, opt->hw, opt->sets, opt->mapping, opt->objective);
  cmd->add_option("--out", opt->out, "write samples.csv, ops.csv, summary.json and scatter.{png,svg} here");
  cmd->add_flag("--json", opt->json, "print the JSON summary instead of tables");
  cmd->add_option("--jobs", opt->jobs, "simulator worker processes (0: one per core)")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd->add_option("--timeout", opt->timeout, "give up on one simulation after this many seconds (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  add_sim_limit_options(cmd, opt->limits, false);
  cmd->add_flag("--check", opt->check, "exit 1 when a target (latency MAPE <= 2%, energy MAPE <= 1%, tau >= 0.95) is not met");
  cmd->callback([&action, opt] {
    action = [opt] {
      if (opt->space.empty() == opt->models.empty()) throw InputError("give exactly one of --space FILE or --models LIST");
      if (!opt->models.empty() && opt->samples != 0) throw InputError("--samples goes with --space, not --models");
      const HardwareSpec hw = resolve_hardware(opt->hw, opt->sets);
      int unfit = 0;
      std::vector<Workload> workloads = opt->space.empty()
                                            ? model_workloads(opt->models)
                                            : sample_space_workloads(opt->space, opt->samples, opt->seed, &hw, &unfit);
      ValidationRequest request;
      request.mapping = opt->mapping;
      request.objective = opt->objective;
      request.jobs = opt->jobs;
      request.timeout_seconds = opt->timeout;
      request.limits = opt->limits;
      std::vector<ValidationSample> samples = estimate_samples(std::move(workloads), hw, request);
      if (!opt->out.empty()) make_dir(opt->out);  // inputs are good: nothing is written before this
      ProgressBar bar("validate", long(samples.size()));
      simulate_samples(samples, hw, request, [&](const ValidationSample& s) { bar.advance(s.workload.name); });
      bar.finish();

      const ValidationSummary summary = summarize(samples);
      nlohmann::json inputs = {{"hw", hw.name}, {"hw_file", hw.file}, {"sets", opt->sets}, {"mapping", opt->mapping},
                                {"fidelity", fidelity_name(opt->limits.fidelity)},
                               {"objective", opt->objective}};
      if (!opt->space.empty())
        inputs.update({{"space", opt->space}, {"samples", opt->samples}, {"seed", opt->seed}, {"unfit_skipped", unfit}});
      else inputs["models"] = opt->models;
      const std::string what = opt->space.empty() ? "models " + opt->models
                                                  : fmt::format("{} random subnets of {} (seed {})", opt->samples, opt->space, opt->seed);
      const std::string title = fmt::format("validate: {} on {}, mapping {}{}", what, hw.name, opt->mapping,
                                            opt->mapping.rfind("optimal", 0) == 0 ? " (" + opt->objective + ")" : "");
      const nlohmann::json doc = summary_json(summary, samples, inputs);
      bool plotted = false;
      if (!opt->out.empty()) {
        write_file_atomic(opt->out + "/samples.csv", samples_csv(samples, hw));
        write_file_atomic(opt->out + "/ops.csv", ops_csv(summary));
        write_file_atomic(opt->out + "/summary.json", doc.dump(1) + "\n");
        plotted = plot_scatter(opt->out, samples, hw, title);
      }
      if (opt->json) {
        std::cout << doc.dump(1) << "\n";
      } else {
        std::cout << render_summary(summary, title);
        for (const ValidationSample& s : samples)
          if (!s.failure.empty()) std::cout << "failed: " << s.workload.name << ": " << s.failure << "\n";
        if (!opt->out.empty())
          std::cout << fmt::format("wrote {}/samples.csv, ops.csv, summary.json{}\n", opt->out,
                                   plotted ? ", scatter.{png,svg}" : "");
      }
      if (summary.failed > 0) {
        std::cerr << fmt::format("h4h: {} of {} simulations failed\n", summary.failed, summary.samples);
        return 1;
      }
      return opt->check && !summary.targets_met() ? 1 : 0;
    };
  });
}

}  // namespace h4h
