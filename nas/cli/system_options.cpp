#include "nas/cli/system_options.h"

namespace h4h {

void add_network_options(CLI::App* cmd, std::string& model, std::string& workload) {
  cmd->add_option("--model", model, "zoo model name (see `h4h model list`)");
  cmd->add_option("--workload", workload, "workload JSON file");
}

void add_system_options(CLI::App* cmd, std::string& hw, std::vector<std::string>& sets, std::string& mapping,
                        std::string& objective) {
  cmd->add_option("--hw", hw, "hardware YAML (hwconfigs/*.yaml)")->required();
  cmd->add_option("--set", sets, "override a hardware key, e.g. --set cim.macros=8 (repeatable)");
  cmd->add_option("--mapping", mapping, "npu-only | cim-only | rule | optimal | optimal-concurrent | mapping JSON file")
      ->capture_default_str();
  cmd->add_option("--objective", objective, "what the optimal schemas minimise: latency | energy | edp")
      ->capture_default_str()
      ->check(CLI::IsMember({"latency", "energy", "edp"}));
}

void add_sim_limit_options(CLI::App* cmd, SimLimits& limits, bool traces) {
  cmd->add_option("--max-sim-events", limits.max_events,
                  "refuse a simulation predicted to need more events (about 1 us each; 0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-sim-cycles", limits.max_cycles,
                  "refuse a simulation of more simulated cycles (0: only SystemC's own limit, ~1.8e16)")
      ->capture_default_str()
      ->check(CLI::Range(0.0, kSystemcMaxCycles));
  cmd->add_option("--max-sim-memory-mb", limits.max_memory_mb,
                  "refuse a simulation predicted to need more memory, in MB (0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  cmd->add_option_function<std::string>(
         "--fidelity",
         [&limits](const std::string& v) { limits.fidelity = v == "block" ? SimFidelity::Block : SimFidelity::Cycle; },
         "simulator: cycle (clocked, per-cycle datapaths and SRAM banks; the ground truth) | block "
         "(replays the NPU engines' block schedules; faster, shares the estimator's NPU cost code)")
      ->check(CLI::IsMember({"cycle", "block"}))
      ->default_str("cycle");
  if (traces)
    cmd->add_option("--max-trace-mb", limits.max_trace_mb, "refuse a trace predicted to be larger, in MB (0: no limit)")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
}

void add_sweep_limit_option(CLI::App* cmd, double& max_points) {
  cmd->add_option("--max-points", max_points, "refuse a sweep of more points (product of the --set value counts; 0: no limit)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

}  // namespace h4h
