#include "nas/search/pareto.h"

#include <limits>

#include <pagmo/utils/hypervolume.hpp>
#include <pagmo/utils/multi_objective.hpp>

namespace h4h {

std::vector<std::vector<size_t>> nondominated_fronts(const std::vector<Point>& points) {
  if (points.empty()) return {};
  if (points.size() == 1) return {{0}};
  const auto fronts = std::get<0>(pagmo::fast_non_dominated_sorting(points));
  std::vector<std::vector<size_t>> out;
  for (const auto& f : fronts) out.emplace_back(f.begin(), f.end());
  return out;
}

std::vector<size_t> pareto_front(const std::vector<Point>& points) {
  if (points.empty()) return {};
  std::vector<size_t> front = nondominated_fronts(points).front();
  std::sort(front.begin(), front.end());
  return front;
}

std::vector<double> crowding_distances(const std::vector<Point>& front) {
  if (front.size() <= 2) return std::vector<double>(front.size(), std::numeric_limits<double>::infinity());
  return pagmo::crowding_distance(front);
}

double hypervolume(const std::vector<Point>& points, const Point& reference) {
  std::vector<Point> inside;
  for (const Point& p : points) {
    bool better = true;
    for (size_t i = 0; i < p.size(); ++i) better = better && p[i] < reference[i];
    if (better) inside.push_back(p);
  }
  if (inside.empty()) return 0;
  const std::vector<size_t> front = pareto_front(inside);
  std::vector<Point> kept;
  for (size_t i : front) kept.push_back(inside[i]);
  return pagmo::hypervolume(kept, true).compute(reference);
}

}  // namespace h4h
