// Search-space YAML (models/space/search_space.h) as `h4h space show` and `h4h space sample` read
// it: parse, the size, then the smallest, largest and a random subnet as ArchConfigs (JSON round
// trip) and as workloads (counted; the smallest one estimated with the rule mapping).
#include <cmath>

#include <nlohmann/json.hpp>

#include "estimate_inputs.h"
#include "models/space/arch_config.h"
#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "sim/map/schemas.h"

namespace {

void check_subnet(const h4h::ArchConfig& arch, const h4h::SearchSpace& space, bool estimate) {
  using namespace h4h;
  const ArchConfig back = arch_from_json(arch_to_json(arch, space), space, "arch.json");
  fuzz::fuzz_check(back == arch, "arch_from_json(arch_to_json(a)) == a");
  Workload w;
  if (!fuzz::accepts([&] { w = arch_to_workload(arch, space); })) return;
  (void)count_workload(w);
  if (estimate) fuzz::estimate(w, fuzz::default_hardware(), resolve_mapping("rule", w, fuzz::default_hardware()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace h4h;
  SearchSpace space;
  if (!fuzz::accepts([&] { space = parse_search_space(fuzz::as_string(data, size), "fuzz.space.yaml"); })) return 0;
  fuzz::fuzz_check(!std::isnan(log10_space_size(space)), "the space has a size");
  check_subnet(smallest_arch(space), space, true);
  check_subnet(largest_arch(space), space, false);
  Rng rng(size);
  check_subnet(random_arch(space, rng), space, false);
  return 0;
}
