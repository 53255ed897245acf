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

}  // namespace h4h
