#pragma once
// What `h4h search` leaves in its output directory:
//   pareto.json   {"finalists": [{"arch", "mapping", "hw", "accuracy", "estimated": {"latency_ms",
//                 "energy_pj"}, "simulated": {...}, ...}], "front": [...], "dropped": [...], ...}
//                 (docs/formats.md); byte-identical for the same inputs and seed.
//   pareto.csv    the front, one row per candidate (finalists marked with their rank)
//   history.csv   per generation: evaluations, front size, hypervolume, best accuracy within budget
//   pareto.{png,svg}   accuracy against latency and against energy: everything scored, the front,
//                 the finalists (estimated and simulated)
//   fronts.{png,svg}   the front after each generation, and the hypervolume per generation
//   finalists/NN/ arch.json (the ArchConfig: h4h eval --arch takes it), hw.json (the system),
//                 workload.json, mapping.json, report.json (simulated), layers.csv, trace.json
//                 (Chrome trace), subnet.pt (extracted weights, BN recalibrated)
// Every file is written atomically.
#include <functional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "nas/apps/search_finalists.h"

namespace h4h {

struct SearchOutputContext {
  std::string out_dir, checkpoint, hw_file, mapping;
  const SearchRun* run = nullptr;
  const FinalistSelection* selection = nullptr;
  // Writes the extracted subnet of an architecture to a path (the supernet scorer).
  std::function<void(const ArchConfig&, const std::string&)> save_subnet;
};

nlohmann::json pareto_document(const SearchOutputContext& c);
void write_search_outputs(const SearchOutputContext& c);

}  // namespace h4h
