#pragma once
// The search's cheap hardware cost: a candidate's workload (arch_to_workload) on the base system
// with its genes applied, mapped by `mapping` (default: the partitioner's optimum for `objective`;
// on a system without CIM, the NPU alone), costed by the analytical estimator.
// Contract: never throws for a member of the space; a candidate the system cannot run (weights
// that fit no placement, an unsupported op) gets Scores::hw_ok = false and the reason. Bad gene
// values (out of the hardware file's allowed range) throw InputError naming the key.
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/space/search_space.h"
#include "nas/search/candidate.h"
#include "nas/search/objectives.h"
#include "sim/core/hardware.h"
#include "sim/core/mapping.h"
#include "sim/estimate/analytical_evaluator.h"

namespace h4h {

class EstimatedCost {
 public:
  // `hw_file`: the hardware YAML; `overrides`: the user's --set values, applied before the genes.
  EstimatedCost(const SearchSpace& space, const std::string& hw_file, std::vector<Override> overrides,
                std::string mapping = "optimal", std::string objective = "latency");

  Scores operator()(const Candidate& c);

  // The system a candidate runs on, and its mapping (for finalists: simulation and reports).
  const HardwareSpec& hardware(const HwGenes& genes);
  Mapping mapping(const Workload& workload, const HardwareSpec& hw) const;

 private:
  const SearchSpace& space_;
  std::string hw_text_, hw_file_;
  std::vector<Override> overrides_;
  std::string mapping_, objective_;
  std::map<std::pair<int, int>, HardwareSpec> systems_;
  AnalyticalEvaluator estimator_;
};

}  // namespace h4h
