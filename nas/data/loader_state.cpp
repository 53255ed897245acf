#include <nlohmann/json.hpp>

#include "nas/data/batch_loader.h"
#include "sim/core/error.h"

namespace h4h::data {

nlohmann::json LoaderState::to_json() const {
  return {{"version", 1},
          {"seed", seed},
          {"epoch", epoch},
          {"position", position},
          {"samples_per_epoch", samples_per_epoch},
          {"shard", shard},
          {"num_shards", num_shards}};
}

std::string LoaderState::dump() const { return to_json().dump(); }

LoaderState LoaderState::from_json(const nlohmann::json& doc, const std::string& source) {
  if (!doc.is_object()) throw_input_error(source, "", "loader state must be a JSON object");
  auto integer = [&](const char* key) -> const nlohmann::json& {
    if (!doc.contains(key)) throw_input_error(source, key, "missing");
    const nlohmann::json& v = doc.at(key);
    if (!v.is_number_integer()) throw_input_error(source, key, "expected a non-negative integer");
    if (v.is_number_unsigned()) return v;
    if (v.get<int64_t>() < 0) throw_input_error(source, key, "expected a non-negative integer");
    return v;
  };
  if (integer("version").get<int64_t>() != 1) throw_input_error(source, "version", "expected 1");
  LoaderState s;
  s.seed = integer("seed").get<uint64_t>();
  s.epoch = integer("epoch").get<int64_t>();
  s.position = integer("position").get<int64_t>();
  s.samples_per_epoch = integer("samples_per_epoch").get<int64_t>();
  s.shard = integer("shard").get<int>();
  s.num_shards = integer("num_shards").get<int>();
  return s;
}

LoaderState LoaderState::parse(const std::string& text, const std::string& source) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) throw_input_error(source, "", "loader state is not valid JSON");
  return from_json(doc, source);
}

bool LoaderState::operator==(const LoaderState& o) const {
  return seed == o.seed && epoch == o.epoch && position == o.position && samples_per_epoch == o.samples_per_epoch &&
         shard == o.shard && num_shards == o.num_shards;
}

}  // namespace h4h::data
