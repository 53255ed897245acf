#pragma once
// The search driver: generations of ask / score / tell around a strategy, with every distinct
// candidate scored once (accuracy cached per architecture, hardware cost per candidate), the
// archive of everything scored, the hypervolume of its front per generation, and a JSON state
// from which a killed search resumes to the same result.
//
// Contract: deterministic for a given setup, strategy and oracles. The front is the non-dominated
// set of the archive's candidates within budget. The hypervolume reference point is the setup's
// when given, else fixed after the first generation: error 1, each budgeted cost at its budget,
// other costs at 1.1 x the worst seen in the first generation.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "nas/search/i_search_strategy.h"
#include "nas/search/pareto.h"

namespace h4h {

struct SearchOracles {
  // Validation top-1 of each architecture; called once per generation with the new ones.
  std::function<std::vector<double>(const std::vector<ArchConfig>&)> accuracy;
  // Hardware cost from the fast estimator (latency, energy, macros, hw_ok).
  std::function<Scores(const Candidate&)> hw_cost;
};

struct GenerationRecord {
  int generation = 0;           // 1-based
  int64_t evaluations = 0;      // distinct accuracy evaluations so far
  size_t archive_size = 0;      // candidates scored so far
  double hypervolume = 0;       // of the front so far
  size_t front_size = 0;
  double best_accuracy = -1;    // within budget; -1: none yet
};

class SearchRun {
 public:
  SearchRun(const std::string& strategy, const SearchSetup& setup, SearchOracles oracles, Point reference = {});

  void run_generation();
  int generation() const { return int(history_.size()); }

  const std::vector<Evaluated>& archive() const { return archive_; }
  // Indices into the archive (ascending) of the front among its first `prefix` entries (all: 0).
  std::vector<size_t> front(size_t prefix = 0) const;
  // Hypervolume of front(prefix): the progress curve against evaluations.
  double hypervolume_at(size_t prefix = 0) const { return front_hypervolume(front(prefix)); }
  const std::vector<GenerationRecord>& history() const { return history_; }
  int64_t accuracy_evaluations() const { return int64_t(accuracy_cache_.size()); }
  const Point& reference() const { return reference_; }
  const SearchSetup& setup() const { return setup_; }

  // The whole state; load() needs a run built with the same strategy and setup (InputError naming
  // `file` otherwise).
  nlohmann::json save() const;
  void load(const nlohmann::json& state, const std::string& file);
  // What identifies the search (strategy, setup, genes, budgets, objectives, seed).
  nlohmann::json fingerprint() const;
  // What else a saved state must match to be resumed (the caller's inputs: checkpoint, hardware,
  // scoring options); saved with the state, not part of the fingerprint.
  void set_context(nlohmann::json context);

 private:
  void fix_reference(const std::vector<Evaluated>& first);
  double front_hypervolume(const std::vector<size_t>& front) const;

  std::string strategy_name_;
  SearchSetup setup_;
  SearchOracles oracles_;
  std::shared_ptr<std::unordered_map<std::string, Scores>> cost_cache_;
  std::unordered_map<std::string, double> accuracy_cache_;
  std::unique_ptr<SearchStrategy> strategy_;
  std::vector<Evaluated> archive_;
  std::unordered_map<std::string, size_t> archive_index_;
  std::vector<GenerationRecord> history_;
  Point reference_;
  std::shared_ptr<const nlohmann::json> context_;
};

}  // namespace h4h
