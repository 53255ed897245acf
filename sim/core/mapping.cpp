#include "sim/core/mapping.h"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

using nlohmann::json;

const char* placement_name(const Placement& p) { return p.split() ? "npu+cim" : p.on_npu() ? "npu" : "cim"; }

Mapping mapping_all(const Workload& w, Unit unit, const std::string& schema) {
  Mapping m;
  m.schema = schema;
  m.layers.assign(w.layers.size(), Placement{unit == Unit::Npu ? 1.0 : 0.0});
  return m;
}

void check_mapping_supported(const Mapping& m, const Workload& w, const std::string& what) {
  std::string bad;
  int count = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    for (Unit u : {Unit::Npu, Unit::Cim}) {
      bool uses = u == Unit::Npu ? m.layers[i].on_npu() : m.layers[i].on_cim();
      if (uses && !unit_supports(u, w.layers[i].op)) {
        if (count < 20) bad += "\n  " + w.layers[i].name + " (" + layer_op_name(w.layers[i]) + "): " + unsupported_reason(u, w.layers[i].op);
        ++count;
      }
    }
  }
  if (count > 20) bad += "\n  ... and " + std::to_string(count - 20) + " more";
  if (count > 0)
    throw_input_error(what, "", std::to_string(count) + " layer(s) placed on a unit that cannot run them:" + bad);
}

Mapping mapping_from_json(const json& doc, const Workload& w, const std::string& file) {
  if (!doc.is_object()) throw_input_error(file, "", "expected {\"version\": 1, \"layers\": {...}}");
  for (auto& [key, value] : doc.items())
    if (key != "version" && key != "layers" && key != "schema")
      throw_input_error(file, key, "unknown key; expected version, layers (and optionally schema)");
  if (!doc.contains("version") || doc.at("version") != 1) throw_input_error(file, "version", "expected 1");
  if (!doc.contains("layers") || !doc.at("layers").is_object())
    throw_input_error(file, "layers", "expected an object {\"<layer>\": \"npu\" | \"cim\" | {\"npu\": f, \"cim\": 1-f}}");
  Mapping m = mapping_all(w, Unit::Npu, "file:" + file);
  for (auto& [name, value] : doc.at("layers").items()) {
    int index = w.find(name);
    const std::string where = "layers." + name;
    if (index < 0) throw_input_error(file, where, "no layer of workload '" + w.name + "' has this name");
    Placement p;
    if (value.is_string() && (value == "npu" || value == "cim")) {
      p.npu_fraction = value == "npu" ? 1.0 : 0.0;
    } else if (value.is_object()) {
      double npu = 0, cim = 0;
      for (auto& [unit, f] : value.items()) {
        if (unit == "weights") {
          if (f == "resident") p.weights = CimWeights::Resident;
          else if (f == "streamed") p.weights = CimWeights::Streamed;
          else if (f != "auto") throw_input_error(file, where + ".weights", "expected \"resident\", \"streamed\" or \"auto\"");
          continue;
        }
        if (unit != "npu" && unit != "cim") throw_input_error(file, where + "." + unit, "unknown unit; expected npu or cim");
        if (!f.is_number() || f.get<double>() < 0 || f.get<double>() > 1)
          throw_input_error(file, where + "." + unit, "expected a fraction in [0, 1]");
        (unit == "npu" ? npu : cim) = f.get<double>();
      }
      if (std::fabs(npu + cim - 1.0) > 1e-6)
        throw_input_error(file, where, "npu and cim fractions must add up to 1, got " + std::to_string(npu + cim));
      p.npu_fraction = npu;
    } else {
      throw_input_error(file, where, "expected \"npu\", \"cim\" or {\"npu\": f, \"cim\": 1-f}, got " + value.dump());
    }
    m.layers[index] = p;
  }
  check_mapping_supported(m, w, file);
  return m;
}

Mapping load_mapping_file(const std::string& path, const Workload& w) {
  json doc;
  try {
    doc = json::parse(read_text_file(path));
  } catch (const json::exception& e) {
    throw_input_error(path, "", std::string("not valid JSON (") + e.what() + ")");
  }
  return mapping_from_json(doc, w, path);
}

json mapping_to_json(const Mapping& m, const Workload& w) {
  json layers = json::object();
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Placement& p = m.layers[i];
    const bool pinned = p.on_cim() && p.weights != CimWeights::Auto;
    if (p.split() || pinned) {
      nlohmann::json entry = {{"npu", p.npu_fraction}, {"cim", 1.0 - p.npu_fraction}};
      if (pinned) entry["weights"] = p.weights == CimWeights::Resident ? "resident" : "streamed";
      layers[w.layers[i].name] = entry;
    } else {
      layers[w.layers[i].name] = placement_name(p);
    }
  }
  return json{{"version", 1}, {"schema", m.schema}, {"layers", layers}};
}

}  // namespace h4h

namespace h4h {

int64_t splittable_channels(const Layer& l) {
  switch (l.op) {
    case OpKind::Conv2d: return l.groups == 1 ? l.out_channels : 0;
    case OpKind::DepthwiseConv2d: return l.out_channels == l.input.c ? l.out_channels : 0;
    case OpKind::Linear: return l.out_features;
    default: return 0;
  }
}

Layer layer_part(const Layer& l, Unit unit, const Placement& p) {
  if (!p.split()) return l;
  const int64_t channels = splittable_channels(l);
  int64_t npu = std::llround(p.npu_fraction * double(channels));
  npu = std::min(std::max<int64_t>(npu, 1), channels - 1);
  const int64_t share = unit == Unit::Npu ? npu : channels - npu;
  Layer part = l;
  switch (l.op) {
    case OpKind::Conv2d: part.out_channels = share; part.output.c = share; break;
    case OpKind::DepthwiseConv2d: part.out_channels = share; part.input.c = share; part.output.c = share; break;
    case OpKind::Linear: part.out_features = share; part.output.c = share; break;
    default: break;
  }
  return part;
}

std::string placement_problem(const Layer& l, const Placement& p, const HardwareSpec& hw) {
  for (Unit u : {Unit::Npu, Unit::Cim}) {
    const bool uses = u == Unit::Npu ? p.on_npu() : p.on_cim();
    if (uses && !unit_supports(u, l.op)) return "layer '" + l.name + "': " + unsupported_reason(u, l.op);
  }
  if (p.on_cim() && !hw.cim.present) return "layer '" + l.name + "' is placed on the CIM, but " + hw.name + " has no CIM";
  if (p.split() && splittable_channels(l) < 2)
    return "layer '" + l.name + "' (" + layer_op_name(l) + ") cannot be split by output channels";
  return "";
}

std::string mapping_problem(const Workload& w, const HardwareSpec& hw, const Mapping& m) {
  if (m.layers.size() != w.layers.size())
    return "the mapping has " + std::to_string(m.layers.size()) + " placements for " + std::to_string(w.layers.size()) +
           " layers";
  for (size_t i = 0; i < w.layers.size(); ++i)
    if (std::string problem = placement_problem(w.layers[i], m.layers[i], hw); !problem.empty()) return problem;
  return "";
}

}  // namespace h4h
