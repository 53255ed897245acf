#pragma once
// Options shared by the commands that cost one network on one system (estimate, simulate, compare,
// validate): the same flags, help texts and checks everywhere.
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace h4h {

// --model NAME | --workload FILE (exactly one is checked later, by resolve_workload).
void add_network_options(CLI::App* cmd, std::string& model, std::string& workload);

// --hw FILE (required), --set KEY=VALUE..., --mapping SCHEMA|FILE, --objective latency|energy|edp.
// The defaults shown are the variables' values when this is called.
void add_system_options(CLI::App* cmd, std::string& hw, std::vector<std::string>& sets, std::string& mapping,
                        std::string& objective);

}  // namespace h4h
