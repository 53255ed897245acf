#pragma once
// Subcommand registration. Each add_* attaches its subcommand(s) to `app`; when one is chosen its
// callback stores the work to run in `action` (run after parsing, inside run_cli's error handling).
#include <functional>

#include <CLI/CLI.hpp>

namespace h4h {

using Action = std::function<int()>;

void add_model_commands(CLI::App& app, Action& action);
void add_import_command(CLI::App& app, Action& action);
void add_hw_commands(CLI::App& app, Action& action);
void add_estimate_command(CLI::App& app, Action& action);
void add_simulate_command(CLI::App& app, Action& action);
void add_compare_command(CLI::App& app, Action& action);
void add_report_command(CLI::App& app, Action& action);
void add_bench_command(CLI::App& app, Action& action);
void add_space_commands(CLI::App& app, Action& action);
void add_sweep_command(CLI::App& app, Action& action);
void add_validate_command(CLI::App& app, Action& action);
void add_train_command(CLI::App& app, Action& action);
void add_eval_command(CLI::App& app, Action& action);
void add_export_command(CLI::App& app, Action& action);
void add_search_command(CLI::App& app, Action& action);

}  // namespace h4h
