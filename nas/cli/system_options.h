#pragma once
// Options shared by the commands that cost one network on one system (estimate, simulate, compare,
// validate), and the limits of every command that simulates: the same flags, help texts and
// checks everywhere.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sim/blocksim/sim_budget.h"

namespace h4h {

// --model NAME | --workload FILE (exactly one is checked later, by resolve_workload).
void add_network_options(CLI::App* cmd, std::string& model, std::string& workload);

// --hw FILE (required), --set KEY=VALUE..., --mapping SCHEMA|FILE, --objective latency|energy|edp.
// The defaults shown are the variables' values when this is called.
void add_system_options(CLI::App* cmd, std::string& hw, std::vector<std::string>& sets, std::string& mapping,
                        std::string& objective);

// --max-sim-events N, --max-sim-cycles N, --max-sim-memory-mb MB and, when the command records
// traces, --max-trace-mb MB: the limits on each simulation (sim/blocksim/sim_budget.h), checked
// before anything is simulated. 0 disables a limit; --max-sim-cycles cannot exceed what SystemC's
// clock counts. `limits` holds the defaults shown.
void add_sim_limit_options(CLI::App* cmd, SimLimits& limits, bool traces);

// --max-points N: the limit on a sweep's points (0: none).
void add_sweep_limit_option(CLI::App* cmd, double& max_points);

}  // namespace h4h
