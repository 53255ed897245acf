#include "models/onnx/onnx_layout.h"

#include <algorithm>
#include <numeric>
#include <set>

namespace h4h::onnx_import {
namespace {

bool image_rank(const Dims& d) { return d.size() == 4; }

// Memory order of a tensor's axes: NCHW images are stored H, W, C (N outermost).
std::vector<int> memory_order(size_t rank, Layout layout) {
  if (layout == Layout::Image && rank == 4) return {0, 2, 3, 1};
  std::vector<int> order(rank);
  std::iota(order.begin(), order.end(), 0);
  return order;
}

// Ops that read and write the NCHW layout of a convolutional part.
const std::set<std::string>& spatial_ops() {
  static const std::set<std::string> ops = {"Conv", "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool",
                                            "BatchNormalization"};
  return ops;
}

// Ops whose rank-4 operands and output share one layout.
const std::set<std::string>& layout_preserving_ops() {
  static const std::set<std::string> ops = {
      "Relu",  "Clip",    "Sigmoid",  "HardSigmoid", "HardSwish",     "Gelu",           "Erf", "Identity",
      "Dropout", "Cast",  "Add",      "Sub",         "Mul",           "Div",            "Concat",
      "QuantizeLinear", "DequantizeLinear"};
  return ops;
}

}  // namespace

Shape to_shape(const Dims& d, Layout layout) {
  const size_t r = d.size();
  if (layout == Layout::Image && r == 4) return Shape{d[0] * d[2], d[3], d[1]};
  if (r == 0) return Shape{1, 1, 1};
  if (r == 1) return Shape{1, 1, d[0]};
  if (r == 2) return Shape{1, d[0], d[1]};
  int64_t h = 1;
  for (size_t i = 0; i + 2 < r; ++i) h *= d[i];
  return Shape{h, d[r - 2], d[r - 1]};
}

int workload_dim(int axis, size_t rank, Layout layout) {
  if (layout == Layout::Image && rank == 4) {
    static const int dim[4] = {0, 2, 0, 1};
    return dim[axis];
  }
  const int from_end = static_cast<int>(rank) - 1 - axis;
  return from_end == 0 ? 2 : from_end == 1 ? 1 : 0;
}

int normalize_axis(int64_t axis, size_t rank) {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) return -1;
  return static_cast<int>(axis < 0 ? axis + r : axis);
}

Movement transpose_movement(const Dims& in, Layout in_layout, const std::vector<int64_t>& perm, Layout out_layout) {
  Movement m;
  const size_t r = in.size();
  const std::vector<int> source_all = memory_order(r, in_layout);
  std::vector<int> target_all;  // input axes in the output's memory order
  for (int out_axis : memory_order(r, out_layout)) target_all.push_back(static_cast<int>(perm[size_t(out_axis)]));
  // Axes of size 1 never move data.
  std::vector<int> source, target;
  for (int a : source_all)
    if (in[size_t(a)] != 1) source.push_back(a);
  for (int a : target_all)
    if (in[size_t(a)] != 1) target.push_back(a);
  auto position = [&](int axis) { return int(std::find(source.begin(), source.end(), axis) - source.begin()); };

  // Merge runs of the target that are also consecutive in the source.
  std::vector<std::vector<int>> groups;  // in target order
  for (size_t i = 0; i < target.size(); ++i) {
    if (i > 0 && position(target[i]) == position(target[i - 1]) + 1) groups.back().push_back(target[i]);
    else groups.push_back({target[i]});
  }
  if (groups.size() <= 1) {
    m.view = m.expressible = true;
    return m;
  }
  m.expressible = groups.size() <= 3;
  if (!m.expressible) {
    // Approximation: the leading groups (in source order) merge until three remain. The layer then
    // moves the same elements, which is what data-movement costs count.
    std::vector<std::vector<int>> by_source_groups = groups;
    std::sort(by_source_groups.begin(), by_source_groups.end(),
              [&](const std::vector<int>& a, const std::vector<int>& b) { return position(a[0]) < position(b[0]); });
    while (by_source_groups.size() > 3) {
      by_source_groups[1].insert(by_source_groups[1].begin(), by_source_groups[0].begin(), by_source_groups[0].end());
      by_source_groups.erase(by_source_groups.begin());
    }
    std::vector<std::vector<int>> merged;  // in target order, by each merged group's first target axis
    for (int a : target)
      for (const std::vector<int>& g : by_source_groups)
        if (std::find(g.begin(), g.end(), a) != g.end() &&
            std::find(merged.begin(), merged.end(), g) == merged.end())
          merged.push_back(g);
    groups = merged;
  }
  std::vector<size_t> by_source(groups.size());  // group indices in source order
  std::iota(by_source.begin(), by_source.end(), 0);
  std::sort(by_source.begin(), by_source.end(),
            [&](size_t a, size_t b) { return position(groups[a][0]) < position(groups[b][0]); });
  const size_t pad = 3 - groups.size();
  int64_t sizes[3] = {1, 1, 1};
  for (size_t j = 0; j < by_source.size(); ++j) {
    int64_t size = 1;
    for (int a : groups[by_source[j]]) size *= in[size_t(a)];
    sizes[pad + j] = size;
  }
  for (size_t i = 0; i < 3; ++i) m.perm[i] = static_cast<int>(i);
  for (size_t g = 0; g < groups.size(); ++g)
    m.perm[pad + g] = static_cast<int>(pad + size_t(std::find(by_source.begin(), by_source.end(), g) - by_source.begin()));
  m.input = Shape{sizes[0], sizes[1], sizes[2]};
  if (m.perm[0] == 0 && m.perm[1] == 1 && m.perm[2] == 2) m.perm[0] = 1, m.perm[1] = 0;  // still moves data
  return m;
}

std::unordered_map<std::string, Layout> assign_layouts(const Graph& g) {
  std::set<std::string> image;
  auto rank4 = [&](const std::string& t) { return !t.empty() && !g.is_constant(t) && g.has_dims(t) && image_rank(g.dims(-1, t)); };
  for (const std::string& t : g.network_inputs())
    if (rank4(t)) image.insert(t);
  for (int i = 0; i < g.node_count(); ++i) {
    if (g.is_constant_node(i) || g.node(i).output_size() == 0) continue;
    const std::string in = g.input(i, 0), out = g.node(i).output(0);
    if (spatial_ops().count(g.op(i))) {
      if (rank4(in)) image.insert(in);
      if (rank4(out)) image.insert(out);
    } else if (g.op(i) == "Transpose" && rank4(in) && rank4(out)) {
      // NHWC -> NCHW makes an image; NCHW -> NHWC reads one.
      const std::vector<int64_t> perm = g.attr_ints(i, "perm");
      if (perm == std::vector<int64_t>{0, 3, 1, 2}) image.insert(out);
      if (perm == std::vector<int64_t>{0, 2, 3, 1}) image.insert(in);
    }
  }
  // Spread through layout-preserving ops, forwards and backwards, until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (int i = 0; i < g.node_count(); ++i) {
      if (!layout_preserving_ops().count(g.op(i)) || g.is_constant_node(i)) continue;
      std::vector<std::string> members;
      for (const std::string& t : g.node(i).input())
        if (rank4(t)) members.push_back(t);
      if (g.node(i).output_size() > 0 && rank4(g.node(i).output(0))) members.push_back(g.node(i).output(0));
      const bool any = std::any_of(members.begin(), members.end(), [&](const std::string& t) { return image.count(t) > 0; });
      if (!any) continue;
      for (const std::string& t : members) changed |= image.insert(t).second;
    }
  }
  std::unordered_map<std::string, Layout> out;
  for (const std::string& t : image) out[t] = Layout::Image;
  return out;
}

}  // namespace h4h::onnx_import
