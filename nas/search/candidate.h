#pragma once
// A search candidate: a subnet (ArchConfig) and, in a hardware co-search, the CIM genes it runs on.
//
// Gene ranges are written "cim.macros=1..16,cim.compute_units=1..4" (each item KEY=LO..HI
// or KEY=V; keys: cim.macros, cim.compute_units). A gene left at 0 means "the hardware file's value".
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "models/space/arch_config.h"
#include "sim/core/hardware.h"

namespace h4h {

struct HwGenes {
  int cim_macros = 0;         // 0: the hardware file's
  int cim_compute_units = 0;  // 0: the hardware file's
  bool operator==(const HwGenes& o) const {
    return cim_macros == o.cim_macros && cim_compute_units == o.cim_compute_units;
  }
};

struct Candidate {
  ArchConfig arch;
  HwGenes hw;
};

struct GeneRanges {
  std::vector<int> cim_macros, cim_compute_units;  // empty: not searched
  bool any() const { return !cim_macros.empty() || !cim_compute_units.empty(); }
};

// Parses the `cosearch` text (empty text: no genes). ParameterError naming the item otherwise.
GeneRanges parse_gene_ranges(const std::string& text);

// Stable text key: arch_key, plus "|m<macros>u<units>" when genes are set.
std::string candidate_key(const Candidate& c);

// The --set overrides that put `genes` on a hardware file (none for genes at 0).
std::vector<Override> gene_overrides(const HwGenes& genes);

// {"arch": {...}, "cim.macros": 8, "cim.compute_units": 2} (gene keys only when set).
nlohmann::json candidate_to_json(const Candidate& c, const SearchSpace& space);
Candidate candidate_from_json(const nlohmann::json& doc, const SearchSpace& space, const std::string& file);

}  // namespace h4h
