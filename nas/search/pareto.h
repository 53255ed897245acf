#pragma once
// Pareto machinery over minimised objective vectors (all the same length), on pagmo2's
// implementations: non-dominated sorting, crowding distance, hypervolume.
#include <cstddef>
#include <vector>

namespace h4h {

using Point = std::vector<double>;

// Fronts of non-dominated sorting: indices into `points`, the first front first. Duplicated
// points share a front.
std::vector<std::vector<size_t>> nondominated_fronts(const std::vector<Point>& points);

// Indices of the first front, in ascending order.
std::vector<size_t> pareto_front(const std::vector<Point>& points);

// NSGA-II's crowding distance of each point of one front (infinite at the extremes; every point of
// a front of one or two is infinite).
std::vector<double> crowding_distances(const std::vector<Point>& front);

// Hypervolume dominated by `points` and bounded by `reference` (points not strictly better than
// the reference in every objective contribute nothing). 0 for no such point.
double hypervolume(const std::vector<Point>& points, const Point& reference);

}  // namespace h4h
