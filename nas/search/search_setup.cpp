#include "nas/search/search_setup.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "sim/core/error.h"

namespace h4h {

using nlohmann::json;

namespace {

bool coin(Rng& rng, double p) { return double(rng() >> 11) * 0x1.0p-53 < p; }

int pick_gene(const std::vector<int>& v, Rng& rng) { return v.empty() ? 0 : v[rng() % v.size()]; }

}  // namespace

HwGenes Variation::random_genes() {
  HwGenes g;
  g.cim_macros = pick_gene(setup_.genes.cim_macros, rng_);
  g.cim_compute_units = pick_gene(setup_.genes.cim_compute_units, rng_);
  return g;
}

Candidate Variation::random() {
  Candidate c;
  c.arch = random_arch(*setup_.space, rng_, setup_.family == BlockFamily::CnnOnly);
  c.arch = restrict_blocks(c.arch, *setup_.space, setup_.family, rng_);
  c.hw = random_genes();
  return c;
}

Candidate Variation::mutate(const Candidate& c) {
  Candidate m;
  m.arch = restrict_blocks(mutate_arch(c.arch, *setup_.space, rng_, setup_.mutate_prob), *setup_.space,
                           setup_.family, rng_);
  m.hw = c.hw;
  if (coin(rng_, setup_.mutate_prob)) m.hw.cim_macros = pick_gene(setup_.genes.cim_macros, rng_);
  if (coin(rng_, setup_.mutate_prob)) m.hw.cim_compute_units = pick_gene(setup_.genes.cim_compute_units, rng_);
  return m;
}

Candidate Variation::crossover(const Candidate& a, const Candidate& b) {
  Candidate x;
  x.arch = restrict_blocks(crossover_arch(a.arch, b.arch, *setup_.space, rng_), *setup_.space, setup_.family, rng_);
  x.hw.cim_macros = coin(rng_, 0.5) ? a.hw.cim_macros : b.hw.cim_macros;
  x.hw.cim_compute_units = coin(rng_, 0.5) ? a.hw.cim_compute_units : b.hw.cim_compute_units;
  return x;
}

Candidate Variation::resampled(const std::function<Candidate()>& make, std::vector<std::string>& taken) {
  Candidate c;
  std::string key;
  for (int attempt = 0; attempt < std::max(1, setup_.resample_cap); ++attempt) {
    c = make();
    key = candidate_key(c);
    if (std::find(taken.begin(), taken.end(), key) != taken.end()) continue;
    if (!setup_.budgets.any() || !setup_.hw_cost) break;
    if (budget_violation(setup_.hw_cost(c), setup_.budgets) == 0) break;
  }
  taken.push_back(key);
  return c;
}

bool within_budget(const Evaluated& e) { return e.violation == 0; }

json evaluated_to_json(const Evaluated& e, const SearchSpace& space) {
  json j = candidate_to_json(e.candidate, space);
  j["accuracy"] = e.scores.accuracy;
  j["latency_ms"] = e.scores.latency_ms;
  j["energy_uj"] = e.scores.energy_uj;
  j["cim_macros"] = e.scores.cim_macros;
  j["violation"] = e.violation;
  if (!e.scores.hw_ok) j["hw_error"] = e.scores.hw_error;
  return j;
}

Evaluated evaluated_from_json(const json& doc, const SearchSpace& space, const std::string& file) {
  Evaluated e;
  e.candidate = candidate_from_json(doc, space, file);
  try {
    e.scores.accuracy = doc.at("accuracy").get<double>();
    e.scores.latency_ms = doc.at("latency_ms").get<double>();
    e.scores.energy_uj = doc.at("energy_uj").get<double>();
    e.scores.cim_macros = doc.at("cim_macros").get<int>();
    e.violation = doc.at("violation").get<double>();
    e.scores.hw_ok = !doc.contains("hw_error");
    if (!e.scores.hw_ok) e.scores.hw_error = doc.at("hw_error").get<std::string>();
  } catch (const json::exception& ex) {
    throw_input_error(file, "population", std::string("expected scored candidates: ") + ex.what());
  }
  return e;
}

}  // namespace h4h
