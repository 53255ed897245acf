#include "nas/search/search_run.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/core/error.h"

namespace h4h {

using nlohmann::json;

SearchRun::SearchRun(const std::string& strategy, const SearchSetup& setup, SearchOracles oracles, Point reference)
    : strategy_name_(strategy),
      setup_(setup),
      oracles_(std::move(oracles)),
      cost_cache_(std::make_shared<std::unordered_map<std::string, Scores>>()),
      reference_(std::move(reference)) {
  if (!reference_.empty() && reference_.size() != setup_.objectives.size())
    throw std::logic_error("SearchRun: the reference point has the wrong dimension");
  auto cache = cost_cache_;
  auto hw_cost = oracles_.hw_cost;
  setup_.hw_cost = [cache, hw_cost](const Candidate& c) {
    const std::string key = candidate_key(c);
    auto it = cache->find(key);
    if (it == cache->end()) it = cache->emplace(key, hw_cost(c)).first;
    return it->second;
  };
  strategy_ = make_strategy(strategy_name_, setup_);
}

void SearchRun::run_generation() {
  const std::vector<Candidate> asked = strategy_->ask();
  std::vector<ArchConfig> unknown;
  for (const Candidate& c : asked) {
    const std::string key = arch_key(c.arch);
    if (accuracy_cache_.count(key)) continue;
    if (std::none_of(unknown.begin(), unknown.end(), [&](const ArchConfig& a) { return a == c.arch; }))
      unknown.push_back(c.arch);
  }
  if (!unknown.empty()) {
    const std::vector<double> acc = oracles_.accuracy(unknown);
    if (acc.size() != unknown.size()) throw std::logic_error("accuracy oracle: wrong number of results");
    for (size_t i = 0; i < unknown.size(); ++i) accuracy_cache_[arch_key(unknown[i])] = acc[i];
  }
  std::vector<Evaluated> scored;
  for (const Candidate& c : asked) {
    Evaluated e;
    e.candidate = c;
    e.scores = setup_.hw_cost(c);
    e.scores.accuracy = accuracy_cache_.at(arch_key(c.arch));
    e.violation = budget_violation(e.scores, setup_.budgets);
    scored.push_back(e);
    const std::string key = candidate_key(c);
    if (!archive_index_.count(key)) {
      archive_index_[key] = archive_.size();
      archive_.push_back(e);
    }
  }
  strategy_->tell(scored);
  if (reference_.empty()) fix_reference(scored);

  GenerationRecord r;
  r.generation = generation() + 1;
  r.evaluations = accuracy_evaluations();
  r.archive_size = archive_.size();
  const std::vector<size_t> f = front();
  r.front_size = f.size();
  r.hypervolume = front_hypervolume(f);
  for (size_t i : f) r.best_accuracy = std::max(r.best_accuracy, archive_[i].scores.accuracy);
  history_.push_back(r);
}

void SearchRun::fix_reference(const std::vector<Evaluated>& first) {
  for (SearchObjective o : setup_.objectives) {
    double worst = 0;
    for (const Evaluated& e : first)
      if (e.scores.hw_ok) worst = std::max(worst, minimized(e.scores, o));
    double ref = 1.1 * worst;
    switch (o) {
      case SearchObjective::Accuracy: ref = 1.0; break;
      case SearchObjective::Latency: if (setup_.budgets.latency_ms > 0) ref = setup_.budgets.latency_ms; break;
      case SearchObjective::Energy: if (setup_.budgets.energy_uj > 0) ref = setup_.budgets.energy_uj; break;
      case SearchObjective::Macros:
        ref = setup_.budgets.cim_macros > 0 ? setup_.budgets.cim_macros + 1.0 : worst + 1.0;
        break;
    }
    reference_.push_back(ref);
  }
}

std::vector<size_t> SearchRun::front(size_t prefix) const {
  const size_t n = prefix ? std::min(prefix, archive_.size()) : archive_.size();
  std::vector<size_t> feasible;
  std::vector<Point> points;
  for (size_t i = 0; i < n; ++i)
    if (archive_[i].violation == 0) {
      feasible.push_back(i);
      points.push_back(minimized(archive_[i].scores, setup_.objectives));
    }
  std::vector<size_t> out;
  for (size_t k : pareto_front(points)) out.push_back(feasible[k]);
  return out;
}

double SearchRun::front_hypervolume(const std::vector<size_t>& f) const {
  std::vector<Point> points;
  for (size_t i : f) points.push_back(minimized(archive_[i].scores, setup_.objectives));
  return hypervolume(points, reference_);
}

json SearchRun::fingerprint() const {
  std::vector<std::string> objectives;
  for (SearchObjective o : setup_.objectives) objectives.push_back(objective_label(o));
  return {{"strategy", strategy_name_},
          {"space", setup_.space->name},
          {"blocks", block_family_name(setup_.family)},
          {"objectives", objectives},
          {"budgets", {{"latency_ms", setup_.budgets.latency_ms}, {"energy_uj", setup_.budgets.energy_uj},
                       {"cim_macros", setup_.budgets.cim_macros}}},
          {"genes", {{"cim.macros", setup_.genes.cim_macros}, {"cim.compute_units", setup_.genes.cim_compute_units}}},
          {"population", setup_.population},
          {"mutate_prob", setup_.mutate_prob},
          {"mutation_ratio", setup_.mutation_ratio},
          {"parent_ratio", setup_.parent_ratio},
          {"resample_cap", setup_.resample_cap},
          {"seed", setup_.seed}};
}

void SearchRun::set_context(json context) { context_ = std::make_shared<const json>(std::move(context)); }

json SearchRun::save() const {
  json archive = json::array();
  for (const Evaluated& e : archive_) archive.push_back(evaluated_to_json(e, *setup_.space));
  json history = json::array();
  for (const GenerationRecord& r : history_)
    history.push_back({{"generation", r.generation}, {"evaluations", r.evaluations}, {"archive_size", r.archive_size},
                       {"hypervolume", r.hypervolume}, {"front_size", r.front_size}, {"best_accuracy", r.best_accuracy}});
  json accuracy = json::object();
  for (const Evaluated& e : archive_) accuracy[arch_key(e.candidate.arch)] = e.scores.accuracy;
  return {{"version", 1},       {"search", fingerprint()},  {"context", context_ ? *context_ : json()},
          {"reference", reference_}, {"history", history}, {"archive", archive},
          {"strategy", strategy_->save()}};
}

void SearchRun::load(const json& state, const std::string& file) {
  if (!state.is_object() || state.value("version", 0) != 1) throw_input_error(file, "version", "expected 1");
  if (state.at("search") != fingerprint())
    throw InputError(file + ": written by a different search (" + state.at("search").dump() + "), not " +
                     fingerprint().dump() + "; use another `out_dir` or remove the file");
  const json context = context_ ? *context_ : json();
  if (state.value("context", json()) != context)
    throw InputError(file + ": written by a search of other inputs (" + state.value("context", json()).dump() +
                     "), not " + context.dump() + "; use another `out_dir` or remove the file");
  try {
    reference_ = state.at("reference").get<Point>();
    archive_.clear();
    archive_index_.clear();
    accuracy_cache_.clear();
    for (const json& e : state.at("archive")) {
      const Evaluated ev = evaluated_from_json(e, *setup_.space, file);
      archive_index_[candidate_key(ev.candidate)] = archive_.size();
      accuracy_cache_[arch_key(ev.candidate.arch)] = ev.scores.accuracy;
      (*cost_cache_)[candidate_key(ev.candidate)] = ev.scores;
      archive_.push_back(ev);
    }
    history_.clear();
    for (const json& r : state.at("history")) {
      GenerationRecord g;
      g.generation = r.at("generation").get<int>();
      g.evaluations = r.at("evaluations").get<int64_t>();
      g.archive_size = r.at("archive_size").get<size_t>();
      g.hypervolume = r.at("hypervolume").get<double>();
      g.front_size = r.at("front_size").get<size_t>();
      g.best_accuracy = r.at("best_accuracy").get<double>();
      history_.push_back(g);
    }
    strategy_->load(state.at("strategy"));
  } catch (const json::exception& ex) {
    throw_input_error(file, "search state", ex.what());
  }
}

}  // namespace h4h
