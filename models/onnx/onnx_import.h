#pragma once
// ONNX import: an ONNX model (ModelProto) becomes a Workload (docs/formats.md: NHWC, batch 1).
//
// Contract:
//  - The result is a shape-inferred Workload that load_workload would accept (it is validated through
//    the same JSON path), or an InputError naming the file, the ONNX node (or tensor, or key) and what
//    was expected. Every unsupported op type of the model is listed in one error, with its count and
//    its first node. No input, however malformed, crashes the importer.
//  - The model is checked with onnx::checker and shape-inferred by ONNX first. A model whose IR
//    version or default-domain opset is newer than the linked ONNX library's cannot be checked by it;
//    it is then imported unchecked (and `on_note` says so).
//  - Batch: a symbolic dimension 0 of a network input is the batch and becomes 1; a static one
//    other than 1 is an error for inputs of rank >= 3 (for rank <= 2 it is data, e.g. [T, C]).
//    Other symbolic dimensions need a value in `dims`.
//  - Layouts: NCHW activations become [H, W, C]; token tensors [1, T, C] become [1, T, C]; other
//    tensors keep their last three dimensions with any leading ones folded into the first.
//  - One layer per compute node, named after the node (activations fused, see OnnxImportOptions). Data movement that is a view (Identity,
//    Dropout, Cast, Squeeze/Unsqueeze/Flatten/Reshape that keep the workload shape, a Transpose
//    that moves no element in NHWC, Slice/Gather/Split of an activation) adds no layer: consumers
//    are wired to the view's producer. Shape computations (Shape, Constant, Gather on shapes, ...)
//    are constants and add no layer. A Transpose of more than three moving dimension groups is
//    costed as a three-dimensional one of the same elements (`on_note` says so).
//
// This header is ONNX-free and Torch-free; ONNX's headers stay in models/onnx/*.cpp.
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "sim/core/workload.h"

namespace h4h {

struct OnnxImportOptions {
  // Workload name; empty: the file name without its directory and extension.
  std::string name;
  // Values of symbolic dimensions other than the batch, by dim_param name (e.g. {"seq", 197}).
  std::map<std::string, int64_t> dims;
  // Fuse an activation into the conv2d / depthwise_conv2d / linear / add / mul that feeds it alone
  // (as NPUs run them and as the zoo's builders write them); false: one layer per activation.
  bool fuse_activations = true;
  // Told about things that did not stop the import (the checker was skipped, an approximation).
  // May be empty.
  std::function<void(const std::string&)> on_note;
};

// Reads and imports `path`. Throws InputError (exit code 2 in the CLI) for any bad input.
Workload import_onnx(const std::string& path, const OnnxImportOptions& options = {});

// Imports serialized ModelProto bytes; `source_name` stands for the file in messages (and names the
// workload when options.name is empty).
Workload import_onnx_bytes(const std::string& bytes, const std::string& source_name,
                           const OnnxImportOptions& options = {});

// True when `path` ends in ".onnx" (any case).
bool is_onnx_path(const std::string& path);

}  // namespace h4h
