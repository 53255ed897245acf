#include "nas/cli/app.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "nas/cli/commands.h"
#include "nas/cli/flag_names.h"
#include "sim/core/error.h"

namespace h4h {

namespace {

// What a command printed must have reached standard output (a file on a full disk, /dev/full):
// otherwise the run failed, whatever the command returned.
int check_stdout(int rc) {
  errno = 0;
  std::cout.flush();
  if (std::cout && std::fflush(stdout) == 0 && !std::ferror(stdout)) return rc;
  const int err = errno;
  std::cerr << "h4h: failed: cannot write to standard output" << (err ? std::string(": ") + std::strerror(err) : "")
            << "\n";
  return rc == 0 ? 1 : rc;
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"h4h: co-design hybrid CNN/ViT networks with NPU + MRAM-CIM edge hardware (H4H-NAS)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "h4h 0.1.0");
  Action action;
  add_model_commands(app, action);
  add_import_command(app, action);
  add_hw_commands(app, action);
  add_estimate_command(app, action);
  add_simulate_command(app, action);
  add_compare_command(app, action);
  add_report_command(app, action);
  add_bench_command(app, action);
  add_space_commands(app, action);
  add_sweep_command(app, action);
  add_validate_command(app, action);
  add_train_command(app, action);
  add_eval_command(app, action);
  add_export_command(app, action);
  add_search_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }
  int rc = 0;
  try {
    rc = action ? action() : 0;
  } catch (const InputError& e) {
    std::cerr << "h4h: error: " << cli_message(e) << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "h4h: failed: " << e.what() << "\n";
    return 1;
  }
  return check_stdout(rc);
}

}  // namespace h4h
