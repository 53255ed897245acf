#pragma once
// Execution schemas by name, and mapping files.
//  npu-only  every layer on the NPU.
//  cim-only  every layer on the CIM; an InputError lists the layers the CIM cannot take.
//  rule      the paper's split: regular (k > 1) convolutions, activation x activation matmuls and
//            weightless ops on the NPU; depthwise, 1x1 convolutions and linear / fully-connected
//            layers on the CIM while their weights fit its MRAM (network order, first come first
//            served); the rest on the NPU. With no CIM in the system it equals npu-only.
//  optimal, optimal-concurrent   the partitioner (partitioner.h) for `objective`.
// Anything else is read as a mapping file (docs/formats.md).
#include <string>
#include <vector>

#include "sim/core/hardware.h"
#include "sim/core/mapping.h"

namespace h4h {

std::vector<std::string> schema_names();

Mapping rule_mapping(const Workload& workload, const HardwareSpec& hw);

// `spec`: a schema name or a mapping file path. Throws InputError for unknown names and bad files.
// `objective`: latency | energy | edp, for the optimal schemas.
Mapping resolve_mapping(const std::string& spec, const Workload& workload, const HardwareSpec& hw,
                        const std::string& objective = "latency");

}  // namespace h4h
