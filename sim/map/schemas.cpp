#include "sim/map/schemas.h"

#include <sys/stat.h>

#include "sim/core/cim_geometry.h"
#include "sim/core/parameter_error.h"
#include "sim/map/partitioner.h"

namespace h4h {

std::vector<std::string> schema_names() { return {"npu-only", "cim-only", "rule", "optimal", "optimal-concurrent"}; }

namespace {

bool rule_prefers_cim(const Layer& l) {
  switch (l.op) {
    case OpKind::DepthwiseConv2d:
    case OpKind::Linear:
      return true;
    case OpKind::Conv2d:
      return l.kernel_h == 1 && l.kernel_w == 1 && l.groups == 1;
    default:
      return false;
  }
}

}  // namespace

Mapping rule_mapping(const Workload& w, const HardwareSpec& hw) {
  Mapping m = mapping_all(w, Unit::Npu, "rule");
  int64_t left = hw.cim.capacity_bits();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    if (!hw.cim.present || !rule_prefers_cim(w.layers[i])) continue;
    const int64_t bits = cim_tiling(w.layers[i], hw.cim).footprint_bits;
    if (bits > 0 && bits <= left) {
      m.layers[i].npu_fraction = 0;
      left -= bits;
    }
  }
  return m;
}

Mapping resolve_mapping(const std::string& spec, const Workload& w, const HardwareSpec& hw, const std::string& objective) {
  if (spec == "npu-only") return mapping_all(w, Unit::Npu, spec);
  if (spec == "rule") return rule_mapping(w, hw);
  if (spec == "optimal" || spec == "optimal-concurrent") {
    PartitionOptions options;
    options.objective = parse_objective(objective);
    options.concurrent = spec == "optimal-concurrent";
    if (!hw.cim.present) return mapping_all(w, Unit::Npu, spec);  // nothing to partition
    return partition(w, hw, options).mapping;
  }
  if (spec == "cim-only") {
    if (!hw.cim.present) throw ParameterError("mapping", "cim-only", "the system " + hw.name + " has no CIM");
    Mapping m = mapping_all(w, Unit::Cim, spec);
    check_mapping_supported(m, w, "`mapping` cim-only");
    return m;
  }
  struct stat st {};
  if (::stat(spec.c_str(), &st) != 0) {
    std::string known;
    for (auto& s : schema_names()) known += (known.empty() ? "" : ", ") + s;
    throw ParameterError("mapping", spec + ": neither a schema (" + known + ") nor a readable mapping file");
  }
  Mapping m = load_mapping_file(spec, w);
  for (size_t i = 0; i < w.layers.size(); ++i)
    if (m.layers[i].on_cim() && !hw.cim.present)
      throw_input_error(spec, "layers." + w.layers[i].name, "placed on the CIM, but the system " + hw.name + " has no CIM");
  return m;
}

}  // namespace h4h
