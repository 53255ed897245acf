#include "sim/map/partitioner.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/core/cim_geometry.h"
#include "sim/core/parameter_error.h"
#include "sim/core/sram_allocator.h"
#include "sim/estimate/analytical_evaluator.h"
#include "sim/estimate/timeline.h"
#include "sim/estimate/unit_cost.h"
#include "sim/map/schemas.h"

namespace h4h {

Objective parse_objective(const std::string& name) {
  if (name == "latency") return Objective::Latency;
  if (name == "energy") return Objective::Energy;
  if (name == "edp") return Objective::EnergyDelay;
  throw ParameterError("objective", name + ": expected latency, energy or edp");
}

const char* objective_name(Objective o) {
  return o == Objective::Latency ? "latency" : o == Objective::Energy ? "energy" : "edp";
}

namespace {

double layer_energy(const UnitCost& npu, const UnitCost& cim, double cycles, const HardwareSpec& hw) {
  ActionCounts a = npu.actions;
  a += cim.actions;
  return dynamic_energy(a, hw.energy).total_pj() + static_energy_pj(hw, int64_t(cycles));
}

}  // namespace

std::vector<PlacementOption> placement_options(const Layer& l, const Precision& p, const HardwareSpec& hw,
                                               const PartitionOptions& options) {
  std::vector<PlacementOption> out;
  const UnitCost none;
  const UnitCost npu = npu_layer_cost(l, p, hw);
  out.push_back({Placement{1.0}, 0, 0, double(npu.cycles), layer_energy(npu, none, double(npu.cycles), hw)});
  if (!hw.cim.present || !unit_supports(Unit::Cim, l.op)) return out;
  std::vector<CimWeights> kinds = {CimWeights::Resident};
  if (options.allow_streamed && hw.cim.reprogram == CimReprogram::PerInference) kinds.push_back(CimWeights::Streamed);
  std::vector<double> fractions = {0.0};
  if (splittable_channels(l) >= 2) fractions.insert(fractions.end(), options.split_fractions.begin(), options.split_fractions.end());
  for (double f : fractions) {
    Placement placement{f};
    const Layer npu_part = layer_part(l, Unit::Npu, placement), cim_part = layer_part(l, Unit::Cim, placement);
    const UnitCost npu_cost = f > 0 ? npu_layer_cost(npu_part, p, hw) : none;
    for (CimWeights kind : kinds) {
      placement.weights = kind;
      const UnitCost cim_cost = cim_layer_cost(cim_part, p, hw, kind == CimWeights::Resident);
      // A split's parts start together (serial execution) and share the external memory.
      double cycles = double(cim_cost.cycles);
      if (f > 0) {
        const std::vector<PartTiming> timing = schedule_parts(
            {timeline_part(0, Unit::Npu, npu_cost), timeline_part(0, Unit::Cim, cim_cost)}, {{}},
            hw.external.bytes_per_cycle);
        cycles = double(std::max(timing[0].end, timing[1].end));
      }
      const int64_t cim_part_tiles = cim_tiles(cim_part, hw.cim);
      const bool resident = kind == CimWeights::Resident;
      out.push_back({placement, resident ? cim_part_tiles : 0, resident ? 0 : cim_part_tiles, cycles,
                     layer_energy(npu_cost, cim_cost, cycles, hw)});
    }
  }
  return out;
}

namespace {

using OptionTable = std::vector<std::vector<PlacementOption>>;

double objective_of(const CostReport& r, Objective o) {
  const double cycles = double(r.total_cycles), energy = r.energy_pj();
  return o == Objective::Latency ? cycles : o == Objective::Energy ? energy : cycles * energy;
}

double step_cost(const PlacementOption& o, double lambda) { return lambda < 0 ? o.energy_pj : o.cycles + lambda * o.energy_pj; }

// Exact minimum of sum(cycles + lambda * energy) (lambda < 0: energy only) over placements whose
// resident tiles fit `capacity` - `reserve` and whose streamed parts need at most `reserve` free
// sub-arrays. Returns the chosen option per layer (the first option, the NPU, is always allowed).
std::vector<int> solve_chain(const OptionTable& options, int64_t capacity, int64_t reserve, double lambda) {
  capacity -= reserve;
  const size_t layers = options.size();
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> best(size_t(capacity) + 1, inf), next(size_t(capacity) + 1);
  std::vector<std::vector<int16_t>> choice(layers, std::vector<int16_t>(size_t(capacity) + 1, -1));
  best[0] = 0;
  for (size_t i = 0; i < layers; ++i) {
    std::fill(next.begin(), next.end(), inf);
    for (int64_t t = 0; t <= capacity; ++t) {
      if (best[size_t(t)] == inf) continue;
      for (size_t k = 0; k < options[i].size(); ++k) {
        const PlacementOption& o = options[i][k];
        const int64_t used = t + o.tiles;
        if (used > capacity || o.stream_tiles > reserve) continue;
        const double step = step_cost(o, lambda);
        if (best[size_t(t)] + step < next[size_t(used)]) {
          next[size_t(used)] = best[size_t(t)] + step;
          choice[i][size_t(used)] = int16_t(k);
        }
      }
    }
    best.swap(next);
  }
  int64_t t = std::min_element(best.begin(), best.end()) - best.begin();
  std::vector<int> picked(layers, 0);
  for (size_t i = layers; i-- > 0;) {
    const int k = choice[i][size_t(t)];
    picked[i] = k;
    t -= options[i][size_t(k)].tiles;
  }
  return picked;
}

Mapping mapping_from(const OptionTable& options, const std::vector<int>& picked, const std::string& schema) {
  Mapping m;
  m.schema = schema;
  for (size_t i = 0; i < options.size(); ++i) m.layers.push_back(options[i][size_t(picked[i])].placement);
  return m;
}

struct Candidate {
  Mapping mapping;
  double cost = std::numeric_limits<double>::infinity();
};

void consider(Candidate& best, Mapping m, AnalyticalEvaluator& evaluator, const Workload& w, const HardwareSpec& hw, Objective o) {
  const EvalResult r = evaluator.evaluate(w, hw, m);
  if (r.ok && objective_of(r.report, o) < best.cost) best = Candidate{std::move(m), objective_of(r.report, o)};
}

// The reserves worth solving for: 0 (nothing streamed) and the tile counts of streamed options
// that beat their layer's NPU placement (options with no resident tiles), ascending and within capacity.
std::vector<int64_t> reserves(const OptionTable& options, int64_t capacity, double lambda) {
  std::vector<int64_t> out = {0};
  for (const auto& layer : options)
    for (const PlacementOption& o : layer)
      if (o.stream_tiles > 0 && o.stream_tiles <= capacity && step_cost(o, lambda) < step_cost(layer.front(), lambda))
        out.push_back(o.stream_tiles);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double latency_lower_bound(const Workload& w, const OptionTable& options) {
  std::vector<double> end(w.layers.size(), 0);
  double bound = 0;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    double fastest = std::numeric_limits<double>::infinity();
    for (const PlacementOption& o : options[i]) fastest = std::min(fastest, o.cycles);
    double ready = 0;
    for (int p : w.layers[i].inputs) ready = std::max(ready, end[size_t(p)]);
    end[i] = ready + fastest;
    bound = std::max(bound, end[i]);
  }
  return bound;
}

}  // namespace

PartitionResult partition(const Workload& w, const HardwareSpec& hw, const PartitionOptions& options) {
  if (!hw.cim.present) throw_input_error(hw.file, "cim", "the system has no CIM: there is nothing to partition");
  // A network whose activations do not fit the shared SRAM runs under no mapping: all on the NPU,
  // so that its evaluation fails with the reason (sram_allocator.h).
  if (!allocate_activations(w, hw).ok) return PartitionResult{mapping_all(w, Unit::Npu, "optimal"), 0, 0, "none fits"};
  OptionTable table;
  for (const Layer& l : w.layers) table.push_back(placement_options(l, w.precision, hw, options));
  // Sub-arrays beyond every layer's largest resident option plus the largest streamed part never
  // bind: leaving them out keeps the DP's table (layers x capacity) to what the workload can use
  // (an MRAM of 4096 x 65536 sub-arrays would otherwise need tens of GB) and changes no result.
  int64_t usable = 0, largest_stream = 0;
  for (const auto& layer : table) {
    int64_t most = 0;
    for (const PlacementOption& o : layer) most = std::max(most, o.tiles), largest_stream = std::max(largest_stream, o.stream_tiles);
    usable += most;
  }
  const int64_t capacity =
      std::min(hw.cim.capacity_bits() / (int64_t(hw.cim.rows) * hw.cim.cols), usable + largest_stream);
  const std::string schema = options.concurrent ? "optimal-concurrent" : "optimal";
  AnalyticalEvaluator evaluator;
  Candidate best;

  std::vector<double> lambdas;
  if (options.objective == Objective::Latency) lambdas = {0.0};
  else if (options.objective == Objective::Energy) lambdas = {-1.0};
  else {
    const EvalResult base = evaluator.evaluate(w, hw, mapping_all(w, Unit::Npu, "npu-only"));
    const double scale = base.ok && base.report.energy_pj() > 0 ? double(base.report.total_cycles) / base.report.energy_pj() : 1.0;
    lambdas = {0.0, -1.0};
    for (double f = 1.0 / 64; f <= 64.0; f *= 2) lambdas.push_back(f * scale);
  }
  for (double lambda : lambdas)
    for (int64_t reserve : reserves(table, capacity, lambda))
      consider(best, mapping_from(table, solve_chain(table, capacity, reserve, lambda), schema), evaluator, w, hw,
               options.objective);

  if (options.concurrent) {
    // Local search on the real timeline, keeping the resident tiles within capacity.
    std::vector<int> picked(w.layers.size(), 0);
    int64_t used = 0;
    for (size_t i = 0; i < w.layers.size(); ++i) {
      for (size_t k = 0; k < table[i].size(); ++k) {
        const Placement& p = table[i][k].placement;
        if (p.npu_fraction == best.mapping.layers[i].npu_fraction && p.weights == best.mapping.layers[i].weights) picked[i] = int(k);
      }
      used += table[i][size_t(picked[i])].tiles;
    }
    for (int round = 0; round < options.local_search_rounds; ++round) {
      bool improved = false;
      for (size_t i = 0; i < w.layers.size(); ++i) {
        for (size_t k = 0; k < table[i].size(); ++k) {
          if (int(k) == picked[i]) continue;
          const int64_t new_used = used - table[i][size_t(picked[i])].tiles + table[i][k].tiles;
          if (new_used > capacity) continue;
          Mapping trial = best.mapping;
          trial.layers[i] = table[i][k].placement;
          const double before = best.cost;
          consider(best, std::move(trial), evaluator, w, hw, options.objective);
          if (best.cost < before) {
            picked[i] = int(k);
            used = new_used;
            improved = true;
          }
        }
      }
      if (!improved) break;
    }
  }

  // Never worse than the fixed schemas.
  for (const char* fixed : {"npu-only", "rule"}) {
    Mapping m = resolve_mapping(fixed, w, hw);
    consider(best, std::move(m), evaluator, w, hw, options.objective);
  }
  PartitionResult result;
  result.mapping = best.mapping;
  result.mapping.schema = schema;
  result.cost = best.cost;
  result.method = options.concurrent ? "dynamic programming + timeline local search" : "dynamic programming over layers x MRAM tiles";
  if (options.objective == Objective::Latency) result.lower_bound = latency_lower_bound(w, table);
  return result;
}

}  // namespace h4h
