#pragma once
// Mapping: which unit runs each layer. A layer runs on the NPU, on the CIM, or split across both by
// output channels (npu_fraction of the channels on the NPU, the rest on the CIM).
// Mapping files (docs/formats.md): {"version": 1, "layers": {"<layer>": "npu" | "cim" | {"npu": f, "cim": 1-f}}}.
// The object form may add "weights": "resident" | "streamed" to pin where a CIM part's weights live
// (default: resident while they fit, in network order). Layers a file does not name run on the NPU.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "sim/core/capability.h"
#include "sim/core/hardware.h"
#include "sim/core/workload.h"

namespace h4h {

// Where the weights of a layer's CIM part live.
enum class CimWeights {
  Auto,      // resident if they fit when their turn comes (network order), else streamed
  Resident,  // must stay in MRAM (the evaluation fails if the pinned layers do not fit)
  Streamed,  // fetched and programmed before every run
};

struct Placement {
  double npu_fraction = 1.0;  // 1: NPU only, 0: CIM only
  CimWeights weights = CimWeights::Auto;
  bool on_npu() const { return npu_fraction > 0; }
  bool on_cim() const { return npu_fraction < 1; }
  bool split() const { return on_npu() && on_cim(); }
};

struct Mapping {
  std::string schema;  // "npu-only", "rule", ..., or "file:PATH"
  std::vector<Placement> layers;
};

// "npu", "cim" or "npu+cim" (split).
const char* placement_name(const Placement& p);

Mapping mapping_all(const Workload& workload, Unit unit, const std::string& schema);

// Reads a mapping file for `workload`; throws InputError naming the file and the layer for unknown
// layers, bad fractions, or a unit that cannot run the layer's op.
Mapping load_mapping_file(const std::string& path, const Workload& workload);
Mapping mapping_from_json(const nlohmann::json& doc, const Workload& workload, const std::string& file);

// Checks every placement against what each unit can run; throws InputError listing every layer
// that a unit cannot take (`what` names the mapping for the message).
void check_mapping_supported(const Mapping& mapping, const Workload& workload, const std::string& what);

nlohmann::json mapping_to_json(const Mapping& mapping, const Workload& workload);

}  // namespace h4h

namespace h4h {

// The part of `layer` that `unit` computes under `placement`: the layer itself, or (for a split)
// a copy whose output channels (features) are the unit's share: round(npu_fraction * channels) on
// the NPU, clamped so that each side of a split gets at least one channel.
Layer layer_part(const Layer& layer, Unit unit, const Placement& placement);

// Channels a layer can be split by (out_channels / out_features); 0 for ops that cannot be split.
int64_t splittable_channels(const Layer& layer);

// "" when layer `l` can run as placed on `hw` (every unit it uses takes its op, a CIM placement has a
// CIM, a split layer has channels to split); otherwise why not, naming the layer. Shared by every
// evaluator so that they refuse the same candidates with the same words.
std::string placement_problem(const Layer& l, const Placement& p, const HardwareSpec& hw);
// "" or the first problem of a whole mapping: its placement count, then placement_problem per layer.
std::string mapping_problem(const Workload& w, const HardwareSpec& hw, const Mapping& m);

}  // namespace h4h
