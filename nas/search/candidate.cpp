#include "nas/search/candidate.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/core/parameter_error.h"

namespace h4h {

using nlohmann::json;

namespace {

int parse_int(const std::string& text, const std::string& item) {
  size_t used = 0;
  int v = 0;
  try {
    v = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || v < 1)
    throw ParameterError("cosearch", item, "expected a positive integer or LO..HI, got '" + text + "'");
  return v;
}

std::vector<int> parse_range(const std::string& text, const std::string& item) {
  const size_t dots = text.find("..");
  if (dots == std::string::npos) return {parse_int(text, item)};
  const int lo = parse_int(text.substr(0, dots), item), hi = parse_int(text.substr(dots + 2), item);
  if (hi < lo) throw ParameterError("cosearch", item, "expected LO <= HI");
  if (hi - lo > 4096) throw ParameterError("cosearch", item, "a range of at most 4097 values");
  std::vector<int> out;
  for (int v = lo; v <= hi; ++v) out.push_back(v);
  return out;
}

}  // namespace

GeneRanges parse_gene_ranges(const std::string& text) {
  GeneRanges g;
  if (text.empty()) return g;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string item = text.substr(start, end - start);
    start = end + 1;
    const size_t eq = item.find('=');
    if (eq == std::string::npos)
      throw ParameterError("cosearch", "'" + item + "'", "expected KEY=LO..HI with KEY cim.macros or cim.compute_units");
    const std::string key = item.substr(0, eq);
    std::vector<int>* target = key == "cim.macros" ? &g.cim_macros : key == "cim.compute_units" ? &g.cim_compute_units : nullptr;
    if (!target) throw ParameterError("cosearch", "'" + item + "'", "unknown gene '" + key + "' (expected cim.macros or cim.compute_units)");
    if (!target->empty()) throw ParameterError("cosearch", "gene '" + key + "' given twice");
    *target = parse_range(item.substr(eq + 1), item);
  }
  return g;
}

std::string candidate_key(const Candidate& c) {
  std::string key = arch_key(c.arch);
  if (c.hw.cim_macros || c.hw.cim_compute_units) key += fmt::format("|m{}u{}", c.hw.cim_macros, c.hw.cim_compute_units);
  return key;
}

std::vector<Override> gene_overrides(const HwGenes& genes) {
  std::vector<Override> out;
  if (genes.cim_macros) out.emplace_back("cim.macros", std::to_string(genes.cim_macros));
  if (genes.cim_compute_units) out.emplace_back("cim.compute_units", std::to_string(genes.cim_compute_units));
  return out;
}

json candidate_to_json(const Candidate& c, const SearchSpace& space) {
  json j{{"arch", arch_to_json(c.arch, space)}};
  if (c.hw.cim_macros) j["cim.macros"] = c.hw.cim_macros;
  if (c.hw.cim_compute_units) j["cim.compute_units"] = c.hw.cim_compute_units;
  return j;
}

Candidate candidate_from_json(const json& doc, const SearchSpace& space, const std::string& file) {
  if (!doc.is_object() || !doc.contains("arch")) throw_input_error(file, "candidate", "expected an object with 'arch'");
  Candidate c;
  c.arch = arch_from_json(doc.at("arch"), space, file);
  auto gene = [&](const char* key) {
    if (!doc.contains(key)) return 0;
    if (!doc.at(key).is_number_integer() || doc.at(key).get<int>() < 1)
      throw_input_error(file, key, "expected a positive integer");
    return doc.at(key).get<int>();
  };
  c.hw.cim_macros = gene("cim.macros");
  c.hw.cim_compute_units = gene("cim.compute_units");
  return c;
}

}  // namespace h4h
