#include "models/onnx/onnx_import.h"

#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>
#include <onnx/checker.h>
#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include "models/onnx/onnx_graph.h"
#include "models/onnx/onnx_translate.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/core/subprocess.h"
#include "sim/core/workload_json.h"

namespace h4h {
namespace {

constexpr double kInferenceTimeoutSeconds = 600;

std::string stem(const std::string& path) {
  std::string base = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  const size_t dot = base.find_last_of('.');
  if (dot != std::string::npos && dot > 0) base = base.substr(0, dot);
  return base.empty() ? "onnx_model" : base;
}

// Gives every dimension of the network inputs a value: the batch (dimension 0) is 1, named
// symbolic dimensions come from options.dims.
void bind_input_dims(onnx::GraphProto& graph, const std::string& file, const OnnxImportOptions& options) {
  std::set<std::string> initializers;
  for (const onnx::TensorProto& t : graph.initializer()) initializers.insert(t.name());
  for (onnx::ValueInfoProto& in : *graph.mutable_input()) {
    if (initializers.count(in.name())) continue;
    const std::string where = "input '" + in.name() + "'";
    if (!in.type().has_tensor_type()) throw_input_error(file, where, "is not a tensor; expected a tensor input");
    if (!in.type().tensor_type().has_shape()) throw_input_error(file, where, "has no shape; expected [N, C, H, W] or similar");
    onnx::TensorShapeProto* shape = in.mutable_type()->mutable_tensor_type()->mutable_shape();
    const int rank = shape->dim_size();
    for (int i = 0; i < rank; ++i) {
      onnx::TensorShapeProto_Dimension* d = shape->mutable_dim(i);
      const std::string dim_where = where + ", dimension " + std::to_string(i);
      int64_t value = 0;
      if (d->has_dim_value()) value = d->dim_value();
      else if (d->has_dim_param() && options.dims.count(d->dim_param())) value = options.dims.at(d->dim_param());
      else if (i == 0) value = 1;  // the batch
      else
        throw_input_error(file, dim_where,
                          d->has_dim_param() ? "is symbolic ('" + d->dim_param() + "'); give it a value (--dim " +
                                                   d->dim_param() + "=N)"
                                             : "is unknown; expected a static size");
      if (value < 1) throw_input_error(file, dim_where, "is " + std::to_string(value) + "; expected a size of at least 1");
      if (i == 0 && rank >= 3 && value != 1)
        throw_input_error(file, dim_where,
                          "batch " + std::to_string(value) +
                              "; the workload is batch 1: export the model with batch 1 or a symbolic batch");
      d->set_dim_value(value);
    }
  }
}

// True when the model is newer than the linked ONNX library (its checker refuses such models).
bool newer_than_library(const onnx::ModelProto& model, std::string* why) {
  const int max_opset = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(onnx::ONNX_DOMAIN).second;
  if (model.ir_version() > onnx::IR_VERSION) {
    *why = "IR version " + std::to_string(model.ir_version()) + " (the linked ONNX knows up to " +
           std::to_string(int(onnx::IR_VERSION)) + ")";
    return true;
  }
  for (const onnx::OperatorSetIdProto& o : model.opset_import())
    if ((o.domain().empty() || o.domain() == "ai.onnx") && o.version() > max_opset) {
      *why = "opset " + std::to_string(o.version()) + " (the linked ONNX knows up to " + std::to_string(max_opset) + ")";
      return true;
    }
  return false;
}

// Runs onnx::checker (unless `newer`) and ONNX's shape inference, and merges the inferred shapes
// into `model`. Both run in a child process: malformed models can crash them (seen: a Conv weight
// of rank 400 in ONNX 1.12's convPoolShapeInference), and such a model is bad input, not a crash.
void check_and_infer(onnx::ModelProto& model, bool newer, const std::string& file) {
  const ChildResult r = run_in_child(
      [&]() -> std::string {
        // The child's copy of `model` is changed; the parent's is not. A crash leaves no core file.
        const rlimit no_core{0, 0};
        ::setrlimit(RLIMIT_CORE, &no_core);
        if (!newer) {
          try {
            onnx::checker::check_model(model);
          } catch (const std::exception& e) {
            throw std::runtime_error(std::string("ONNX checker: ") + e.what());
          }
        }
        try {
          // Strict for models the library knows; lenient for newer ones (ops it has no schema for
          // keep their exported shapes, and fill_missing_dims covers the simple ones).
          const onnx::ShapeInferenceOptions inference(/*check_type=*/true, /*error_mode=*/newer ? 0 : 1,
                                                      /*enable_data_propagation=*/true);
          onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), inference);
        } catch (const std::exception& e) {
          throw std::runtime_error(std::string("ONNX shape inference: ") + e.what());
        }
        onnx::GraphProto shapes;
        *shapes.mutable_value_info() = model.graph().value_info();
        *shapes.mutable_output() = model.graph().output();
        return shapes.SerializeAsString();
      },
      kInferenceTimeoutSeconds);
  const std::string failed = "job failed: ";
  if (!r.ok && r.error.rfind(failed, 0) == 0) throw_input_error(file, "", r.error.substr(failed.size()));
  onnx::GraphProto shapes;
  if (!r.ok || !shapes.ParseFromString(r.output))
    throw_input_error(file, "", "ONNX's checker or shape inference failed on this model (" +
                                    (r.ok ? std::string("no result") : r.error) + "); expected a well-formed model");
  *model.mutable_graph()->mutable_value_info() = shapes.value_info();
  *model.mutable_graph()->mutable_output() = shapes.output();
}

}  // namespace

bool is_onnx_path(const std::string& path) {
  if (path.size() < 5) return false;
  std::string ext = path.substr(path.size() - 5);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return ext == ".onnx";
}

Workload import_onnx(const std::string& path, const OnnxImportOptions& options) {
  return import_onnx_bytes(read_text_file(path), path, options);
}

Workload import_onnx_bytes(const std::string& bytes, const std::string& file, const OnnxImportOptions& options) {
  if (bytes.empty()) throw_input_error(file, "", "empty file; expected an ONNX model (a serialized ModelProto)");
  onnx::ModelProto model;
  if (!model.ParseFromString(bytes))
    throw_input_error(file, "", "not an ONNX model: the protobuf does not parse (truncated, or not a ModelProto)");
  if (!model.has_graph() || model.graph().node_size() == 0 || model.ir_version() <= 0)
    throw_input_error(file, "", "not an ONNX model: no IR version or no graph nodes");

  for (const auto& [name, value] : options.dims)
    if (value < 1) throw_input_error(file, "dimension '" + name + "'", "is " + std::to_string(value) + "; expected >= 1");
  bind_input_dims(*model.mutable_graph(), file, options);

  std::string why;
  const bool newer = newer_than_library(model, &why);
  if (newer && options.on_note)
    options.on_note(file + ": " + why + " is newer than the ONNX library h4h links; the ONNX checker was skipped");
  check_and_infer(model, newer, file);

  onnx_import::Graph graph(model.graph(), file);
  onnx_import::fill_missing_dims(graph);
  onnx_import::reject_unsupported(graph);
  onnx_import::Translator translator(graph, options, options.name.empty() ? stem(file) : options.name);
  Workload w = translator.run();
  // ONNX (proto2) does not check that names are UTF-8; the workload JSON must be.
  if (invalid_utf8_offset(w.name) != std::string::npos)
    throw_input_error(file, "", "the workload name is not UTF-8 text; give one with --name");
  for (size_t i = 0; i < w.layers.size(); ++i)
    if (invalid_utf8_offset(w.layers[i].name) != std::string::npos)
      throw_input_error(file, "layer #" + std::to_string(i), "the ONNX node's name is not UTF-8 text");
  // Through the JSON reader: the same limits and checks as a workload file.
  return workload_from_json(workload_to_json(w), file);
}

}  // namespace h4h
