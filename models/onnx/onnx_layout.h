#pragma once
// Internal to models/onnx: how ONNX tensors become the workload's three-dimensional shapes.
//
// Image: a rank-4 NCHW activation of a convolutional part; stored [H, W, C] (NHWC), any N folded
// into H. Plain: every other tensor; its last two dimensions are w and c and all leading ones fold
// into h ([1, T, C] -> [1, T, C]; [1, heads, T, d] -> [heads, T, d]; [1, C] -> [1, 1, C]).
#include <string>
#include <unordered_map>

#include "models/onnx/onnx_graph.h"
#include "sim/core/workload.h"

namespace h4h::onnx_import {

enum class Layout { Plain, Image };

Shape to_shape(const Dims& dims, Layout layout);

// The workload dimension (0 h, 1 w, 2 c) holding ONNX axis `axis` (0 <= axis < rank).
int workload_dim(int axis, size_t rank, Layout layout);

// Normalises an ONNX axis attribute (negative counts from the end); -1 when out of range.
int normalize_axis(int64_t axis, size_t rank);

// A Transpose as data movement in workload memory (each tensor stored in its layout's order).
// A permutation of more than three groups of dimensions (not expressible) is approximated by a
// three-dimensional one that moves the same elements.
struct Movement {
  bool view = false;         // no element moves: the output is the input, reinterpreted
  bool expressible = false;  // a permutation of at most three merged dimensions: exact
  Shape input;               // the input as the merged dimensions it moves
  int perm[3] = {0, 1, 2};   // output dimension i = input dimension perm[i]
};
Movement transpose_movement(const Dims& in, Layout in_layout, const std::vector<int64_t>& perm, Layout out_layout);

// The layout of every non-constant tensor: Image for the rank-4 tensors that convolutions, pools and
// the elementwise chains between them read and write, rank-4 network inputs, and the NCHW side of
// NHWC <-> NCHW transposes (perm [0, 3, 1, 2] or [0, 2, 3, 1]); Plain otherwise.
std::unordered_map<std::string, Layout> assign_layouts(const Graph& graph);

}  // namespace h4h::onnx_import
