#include "nas/apps/search_options.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sim/core/parameter_error.h"

namespace h4h {

void check_search_options(const SearchJobOptions& o) {
  if (o.generations < 1) throw ParameterError("generations", "expected at least 1");
  if (o.finalists < 1) throw ParameterError("finalists", "expected at least 1");
  if (o.latency_ms < 0) throw ParameterError("latency_ms", "expected a positive budget");
  if (o.energy_uj < 0) throw ParameterError("energy_uj", "expected a positive budget");
  if (o.max_macros < 0) throw ParameterError("max_macros", "expected a positive budget");
}

nlohmann::json search_context(const SearchJobOptions& o) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(o.checkpoint, ec);
  const auto time = std::filesystem::last_write_time(o.checkpoint, ec);
  return {{"checkpoint", o.checkpoint},
          {"checkpoint_bytes", ec ? 0 : int64_t(size)},
          {"checkpoint_time", ec ? 0 : int64_t(time.time_since_epoch().count())},
          {"hw", o.hw_file},
          {"set", o.sets},
          {"mapping", o.mapping},
          {"mapping_objective", o.mapping_objective},
          {"val_images", o.val_images},
          {"bn_batches", o.bn_batches},
          {"batch_size", o.batch_size}};
}

}  // namespace h4h
