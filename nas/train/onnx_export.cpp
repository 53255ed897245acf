// export_onnx: one BN-recalibrated subnet of a trained supernet as an ONNX file (train_api.h).
#include <filesystem>

#include "models/space/arch_workload.h"
#include "models/torch/runtime.h"
#include "nas/train/checkpoint.h"
#include "nas/train/eval_session.h"
#include "nas/train/onnx_graph_writer.h"
#include "nas/train/torch_device.h"
#include "nas/train/train_api.h"
#include "sim/core/file_io.h"
#include "sim/core/mapping.h"
#include "sim/core/parameter_error.h"

namespace h4h {

using nlohmann::json;

namespace {

ArchConfig chosen_arch(const std::string& spec, const SearchSpace& space) {
  if (spec == "largest") return largest_arch(space);
  if (spec == "smallest") return smallest_arch(space);
  return load_arch(spec, space);  // InputError naming the file for a missing file or an arch outside the space
}

void check_output_path(const std::string& path, const std::string& checkpoint) {
  namespace fs = std::filesystem;
  if (path.empty()) throw ParameterError("output", "expected the .onnx file to write");
  const fs::path p(path);
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw InputError(path + ": the directory " + dir.string() + " does not exist");
  if (fs::is_directory(p, ec)) throw InputError(path + ": is a directory; expected the .onnx file to write");
  if (fs::equivalent(p, checkpoint, ec)) throw InputError(path + ": is the checkpoint; expected another file to write");
}

void add_metadata(onnx::ModelProto& model, const std::string& key, const std::string& value) {
  onnx::StringStringEntryProto& e = *model.add_metadata_props();
  e.set_key(key);
  e.set_value(value);
}

// The supernet with `arch` active. With bn_batches > 0 its BN statistics are recalibrated exactly
// as `h4h eval` does it (SubnetEvaluator::top1, scored here on a single image), which needs the data.
struct Prepared {
  std::unique_ptr<EvalSession> session;  // bn_batches > 0
  Supernet net{nullptr};
};

Prepared prepare(const ExportOptions& o, const SearchSpace& space, const ArchConfig& arch) {
  Prepared p;
  if (o.bn_batches > 0) {
    p.session = open_eval_session(o.checkpoint, o.data_spec, o.batch_size, o.bn_batches, o.seed, o.threads, o.device);
    const data::DataSplits& d = p.session->data;
    const auto one_image = std::make_shared<data::SubsetDataset>(d.train, std::vector<size_t>{0}, "train[:1]");
    p.session->evaluator->top1(p.session->net, arch, one_image);  // leaves `arch` active, recalibrated
    p.net = p.session->net;
    return p;
  }
  const torch::Device device = parse_torch_device(o.device);
  configure_torch_runtime(o.threads);
  p.net = Supernet(space);
  load_checkpoint_state(o.checkpoint, p.net, nullptr);
  p.net->to(device);
  p.net->set_active_subnet(arch);
  return p;
}

}  // namespace

json export_onnx(const ExportOptions& o) {
  check_output_path(o.output, o.checkpoint);
  if (o.bn_batches < 0) throw ParameterError("bn_batches", "expected >= 0");
  const json meta = read_checkpoint_meta(o.checkpoint);
  const SearchSpace space = checkpoint_space(meta, o.checkpoint);
  const ArchConfig arch = chosen_arch(o.arch, space);
  const Workload workload = arch_to_workload(arch, space);
  json mapping;
  if (!o.mapping.empty()) mapping = mapping_to_json(load_mapping_file(o.mapping, workload), workload);

  const Prepared p = prepare(o, space, arch);
  StaticSubnet subnet = p.net->extract_active_subnet();
  subnet->eval();
  OnnxGraphOptions graph_options;
  if (!o.dynamic_batch) graph_options.batch_dim.clear();
  onnx::ModelProto model = static_subnet_to_onnx(*subnet, space, graph_options);

  const int64_t step = meta.at("step").get<int64_t>();
  model.set_doc_string("h4h subnet " + arch_key(arch) + " of space " + space.name + ", from " + o.checkpoint +
                       " (step " + std::to_string(step) + "), BN statistics " +
                       (o.bn_batches > 0 ? "recalibrated on " + std::to_string(o.bn_batches) + " training batches"
                                         : "as stored in the checkpoint"));
  add_metadata(model, "h4h.space", space.name);
  add_metadata(model, "h4h.arch", arch_to_json(arch, space).dump());
  if (!mapping.is_null()) add_metadata(model, "h4h.mapping", mapping.dump());
  add_metadata(model, "h4h.checkpoint_step", std::to_string(step));
  add_metadata(model, "h4h.bn_batches", std::to_string(o.bn_batches));
  if (p.session) {  // what the input "images" expects: pixel / 255, then (x - mean) / std per channel
    const data::Normalization& n = p.session->data.norm;
    add_metadata(model, "h4h.normalization", json{{"mean", n.mean}, {"std", n.std}}.dump());
  }
  check_onnx_model(model);  // a failure here is a bug of the writer: nothing is written

  std::string bytes;
  if (!model.SerializeToString(&bytes)) throw std::runtime_error(o.output + ": cannot serialise the ONNX model");
  write_file_atomic(o.output, bytes);

  const WorkloadTotals totals = count_workload(workload);
  return {{"output", o.output},
          {"space", space.name},
          {"arch", arch_to_json(arch, space)},
          {"key", arch_key(arch)},
          {"resolution", arch.resolution},
          {"input", {o.dynamic_batch ? json("N") : json(1), space.input_channels, arch.resolution, arch.resolution}},
          {"nodes", model.graph().node_size()},
          {"initializers", model.graph().initializer_size()},
          {"macs", totals.macs},
          {"params", totals.params},
          {"opset", kOnnxOpset},
          {"ir_version", int64_t(model.ir_version())},
          {"bytes", int64_t(bytes.size())},
          {"bn_batches", o.bn_batches}};
}

}  // namespace h4h
