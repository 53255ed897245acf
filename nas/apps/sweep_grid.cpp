#include "nas/apps/sweep_grid.h"

#include <set>

#include "sim/core/error.h"
#include "sim/core/parameter_error.h"

namespace h4h {

SweepAxis parse_sweep_axis(const std::string& text) {
  const auto eq = text.find('=');
  if (eq != std::string::npos && eq > 0 && eq + 1 == text.size())
    throw ParameterError("sets", text, "empty value list; expected KEY=V1,V2,...");
  const Override o = parse_override(text);
  SweepAxis axis{o.first, {}};
  size_t begin = 0;
  while (true) {
    const size_t comma = o.second.find(',', begin);
    const std::string v = o.second.substr(begin, comma == std::string::npos ? std::string::npos : comma - begin);
    if (v.empty()) throw ParameterError("sets", text, "empty value in the list; expected KEY=V1,V2,...");
    axis.values.push_back(v);
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return axis;
}

std::vector<SweepAxis> parse_sweep_axes(const std::vector<std::string>& sets) {
  std::vector<SweepAxis> axes;
  std::set<std::string> seen;
  for (const std::string& s : sets) {
    axes.push_back(parse_sweep_axis(s));
    if (!seen.insert(axes.back().key).second)
      throw ParameterError("sets", s, "key '" + axes.back().key + "' is swept twice; give its values in one `sets`");
  }
  return axes;
}

std::vector<std::vector<Override>> sweep_points(const std::vector<SweepAxis>& axes) {
  std::vector<std::vector<Override>> points(1);
  for (const SweepAxis& axis : axes) {
    std::vector<std::vector<Override>> grown;
    grown.reserve(points.size() * axis.values.size());
    for (const auto& p : points)
      for (const std::string& v : axis.values) {
        grown.push_back(p);
        grown.back().emplace_back(axis.key, v);
      }
    points.swap(grown);
  }
  return points;
}

}  // namespace h4h
