// ONNX export: the written graph, run by a reference interpreter (onnx_reference_runner.h), computes
// the extracted static subnet's logits; the model passes onnx's checker and shape inference; the
// metadata carries the arch and the mapping; bad input is an InputError and writes nothing.
#include <gtest/gtest.h>

#include <onnx/checker.h>

#include <filesystem>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "nas/train/checkpoint.h"
#include "nas/train/eval_session.h"
#include "nas/train/onnx_graph_writer.h"
#include "nas/train/train_api.h"
#include "sim/core/error.h"
#include "sim/core/mapping.h"
#include "sim/core/workload_json.h"
#include "tests/nas/train/checkpoint_checks.h"
#include "tests/nas/train/fixtures.h"
#include "tests/nas/train/onnx_reference_runner.h"
#include "tests/support/build_paths.h"

namespace h4h {

namespace {

std::string space_yaml(const std::string& activation) {
  std::string yaml = test::kTinySpaceYaml;
  yaml.replace(yaml.find("activation: swish"), 17, "activation: " + activation);
  return yaml;
}

// Moves every weight off its initial value and gives every BN non-trivial statistics, so that
// folding and every affine parameter are exercised.
void perturb(torch::nn::Module& net, uint64_t seed) {
  torch::manual_seed(seed);
  torch::NoGradGuard no_grad;
  for (auto& p : net.named_parameters()) p.value().add_(0.1 * torch::randn_like(p.value()));
  for (auto& b : net.named_buffers()) {
    if (b.key().find("running_mean") != std::string::npos) b.value().copy_(0.3 * torch::randn_like(b.value()));
    if (b.key().find("running_var") != std::string::npos) b.value().uniform_(0.5, 2.0);
  }
}

ArchConfig random_hybrid(const SearchSpace& space, uint64_t seed) {
  Rng rng(seed);
  for (;;) {
    ArchConfig a = random_arch(space, rng);
    if (a.has_transformer()) return a;
  }
}

onnx::ModelProto reparsed(const onnx::ModelProto& model) {
  std::string bytes;
  EXPECT_TRUE(model.SerializeToString(&bytes));
  onnx::ModelProto back;
  EXPECT_TRUE(back.ParseFromString(bytes));
  return back;
}

onnx::ModelProto load_model(const std::string& path) {
  onnx::ModelProto m;
  EXPECT_TRUE(m.ParseFromString(test::read_file(path))) << path;
  return m;
}

std::string metadata(const onnx::ModelProto& m, const std::string& key) {
  for (const auto& e : m.metadata_props())
    if (e.key() == key) return e.value();
  return "";
}

// max |onnx - torch| / max(1, max |torch|) for `images` through both.
double relative_gap(const onnx::ModelProto& model, StaticSubnetImpl& subnet, const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  const torch::Tensor expected = subnet.forward(images);
  const torch::Tensor got = test::run_onnx(model, {{"images", images}}).at("logits");
  EXPECT_EQ(got.sizes(), expected.sizes());
  EXPECT_GT(expected.std().item<double>(), 1e-2) << "degenerate logits prove nothing";
  return (got - expected).abs().max().item<double>() / std::max(1.0, expected.abs().max().item<double>());
}

// Options of a checkpoint's meta that open_eval_session reads: the tiny data and its carve.
nlohmann::json tiny_meta(const test::TinySetup& s, const std::string& yaml) {
  return test::checkpoint_meta(yaml, 5, {{"data", s.data}, {"val_count", 16}});
}

}  // namespace

TEST(OnnxExport, GraphComputesTheStaticSubnetForEveryActivationAndBlockKind) {
  double worst = 0;
  int transformers = 0;
  for (const std::string activation : {"swish", "relu", "relu6", "hswish", "gelu"}) {
    torch::manual_seed(1);
    Supernet net(parse_search_space(space_yaml(activation), "tiny.yaml"));
    perturb(*net, 2);
    const SearchSpace& space = net->space();
    for (const ArchConfig& arch : {largest_arch(space), smallest_arch(space), random_hybrid(space, 3)}) {
      SCOPED_TRACE(activation + " " + arch_key(arch));
      transformers += arch.transformer_blocks();
      net->set_active_subnet(arch);
      StaticSubnet subnet = net->extract_active_subnet();
      subnet->eval();
      onnx::ModelProto model = static_subnet_to_onnx(*subnet, space);
      ASSERT_NO_THROW(check_onnx_model(model));
      model = reparsed(model);  // what a reader of the file sees
      const torch::Tensor images = torch::randn({3, 1, arch.resolution, arch.resolution});
      const double gap = relative_gap(model, *subnet, images);
      EXPECT_LT(gap, 1e-4);
      worst = std::max(worst, gap);
      if (activation == "swish" && arch.has_transformer()) {  // the comparison notices a small change
        for (onnx::TensorProto& t : *model.mutable_graph()->mutable_initializer())
          if (t.name().find(".fc2.bias") != std::string::npos) {
            std::string raw = t.raw_data();
            reinterpret_cast<float*>(raw.data())[0] += 1e-2f;
            t.set_raw_data(raw);
            break;
          }
        EXPECT_GT(relative_gap(model, *subnet, images), 1e-4);
      }
    }
  }
  EXPECT_GT(transformers, 0);
  std::cout << "[ max relative logit gap, ONNX reference run vs static subnet: " << worst << " ]\n";
}

TEST(OnnxExport, ShippedSpacesLargestAndSmallestSubnets) {
  for (const char* name : {"fashion-mnist", "nasvit-imagenet"}) {
    torch::manual_seed(1);
    Supernet net(load_search_space(test::source_dir() + "/models/spaces/" + name + ".yaml"));
    perturb(*net, 2);
    for (const ArchConfig& arch : {largest_arch(net->space()), smallest_arch(net->space())}) {
      SCOPED_TRACE(std::string(name) + " " + arch_key(arch));
      net->set_active_subnet(arch);
      StaticSubnet subnet = net->extract_active_subnet();
      subnet->eval();
      onnx::ModelProto model = static_subnet_to_onnx(*subnet, net->space());
      ASSERT_NO_THROW(check_onnx_model(model));
      const double gap = relative_gap(model, *subnet, torch::randn({1, net->space().input_channels, arch.resolution, arch.resolution}));
      EXPECT_LT(gap, 1e-4);
      std::cout << "[ " << name << " " << (arch == largest_arch(net->space()) ? "largest" : "smallest") << ": "
                << model.graph().node_size() << " nodes, relative logit gap " << gap << " ]\n";
    }
  }
}

TEST(OnnxExport, ShapeInferenceDerivesTheLogitsShapeAndNodesCarryWorkloadLayerNames) {
  torch::manual_seed(1);
  Supernet net(parse_search_space(test::kTinySpaceYaml, "tiny.yaml"));
  const ArchConfig arch = random_hybrid(net->space(), 5);
  net->set_active_subnet(arch);
  StaticSubnet subnet = net->extract_active_subnet();
  subnet->eval();
  for (const std::string batch : {"N", ""}) {
    OnnxGraphOptions options;
    options.batch_dim = batch;
    onnx::ModelProto model = static_subnet_to_onnx(*subnet, net->space(), options);
    EXPECT_EQ(model.ir_version(), onnx::IR_VERSION);
    ASSERT_EQ(model.opset_import_size(), 1);
    EXPECT_EQ(model.opset_import(0).version(), 17);
    // A wrong declared output shape is caught; an unknown one is derived by inference.
    auto* out_shape = model.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
    onnx::ModelProto wrong = model;
    wrong.mutable_graph()->mutable_output(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(1)->set_dim_value(11);
    EXPECT_THROW(check_onnx_model(wrong), std::runtime_error);
    out_shape->clear_dim();
    out_shape->add_dim();
    out_shape->add_dim();
    ASSERT_NO_THROW(check_onnx_model(model));
    const auto& out = model.graph().output(0);
    EXPECT_EQ(out.name(), "logits");
    ASSERT_EQ(out.type().tensor_type().shape().dim_size(), 2);
    const auto& d0 = out.type().tensor_type().shape().dim(0);
    if (batch.empty()) {
      EXPECT_EQ(d0.dim_value(), 1);
    } else {
      EXPECT_EQ(d0.dim_param(), "N");
    }
    EXPECT_EQ(out.type().tensor_type().shape().dim(1).dim_value(), 10);
  }
  // Every weighted layer of the arch's workload is a node of the same name.
  onnx::ModelProto model = static_subnet_to_onnx(*subnet, net->space());
  std::set<std::string> nodes;
  for (const auto& n : model.graph().node()) nodes.insert(n.name());
  for (const Layer& l : arch_to_workload(arch, net->space()).layers) {
    if (l.op == OpKind::Conv2d || l.op == OpKind::DepthwiseConv2d || l.op == OpKind::Linear || l.op == OpKind::Matmul) {
      EXPECT_TRUE(nodes.count(l.name)) << l.name;
    }
  }
}

TEST(OnnxExport, ExportsTheRecalibratedSubnetWithArchAndMappingMetadata) {
  test::TinySetup s;
  torch::manual_seed(4);
  Supernet net(parse_search_space(test::kTinySpaceYaml, "tiny.yaml"));
  perturb(*net, 5);
  const std::string ckpt = s.dir.file("tiny.ckpt");
  save_checkpoint(ckpt, tiny_meta(s, test::kTinySpaceYaml), net, nullptr);
  const SearchSpace& space = net->space();
  const ArchConfig arch = random_hybrid(space, 6);
  const std::string arch_file = s.dir.file("arch.json");
  test::write_file(arch_file, arch_to_json(arch, space).dump());
  const std::string mapping_file = s.dir.file("mapping.json");
  test::write_file(mapping_file, R"({"version": 1, "layers": {"first_conv": "cim", "head.fc": {"npu": 0.5, "cim": 0.5}}})");

  // Stored statistics (no data read): the checkpoint's own subnet.
  ExportOptions o;
  o.checkpoint = ckpt;
  o.arch = arch_file;
  o.output = s.dir.file("stored.onnx");
  o.mapping = mapping_file;
  o.bn_batches = 0;
  o.threads = 1;
  const nlohmann::json summary = export_onnx(o);
  EXPECT_EQ(summary["key"], arch_key(arch));
  onnx::ModelProto model = load_model(o.output);
  EXPECT_NO_THROW(onnx::checker::check_model(o.output));
  net->set_active_subnet(arch);
  StaticSubnet stored = net->extract_active_subnet();
  stored->eval();
  const torch::Tensor images = torch::randn({4, 1, arch.resolution, arch.resolution});
  const double gap_stored = relative_gap(model, *stored, images);
  EXPECT_LT(gap_stored, 1e-4);
  EXPECT_EQ(metadata(model, "h4h.space"), "tiny");
  EXPECT_EQ(arch_from_json(nlohmann::json::parse(metadata(model, "h4h.arch")), space, "h4h.arch"), arch);
  const Workload workload = arch_to_workload(arch, space);
  const nlohmann::json mapping = nlohmann::json::parse(metadata(model, "h4h.mapping"));
  EXPECT_EQ(mapping, mapping_to_json(load_mapping_file(mapping_file, workload), workload));
  EXPECT_EQ(mapping["layers"]["first_conv"], "cim");

  // Recalibrated on 2 training batches, as `h4h eval` recalibrates (same seed, same batches).
  o.output = s.dir.file("recalibrated.onnx");
  o.mapping.clear();
  o.bn_batches = 2;
  o.batch_size = 8;
  export_onnx(o);
  model = load_model(o.output);
  EXPECT_EQ(metadata(model, "h4h.mapping"), "");
  EXPECT_NE(metadata(model, "h4h.normalization"), "");
  auto session = open_eval_session(ckpt, "", 8, 2, 0, 1, "cpu");
  session->evaluator->top1(session->net, arch, session->data.val);
  StaticSubnet recalibrated = session->net->extract_active_subnet();
  recalibrated->eval();
  const double gap_recalibrated = relative_gap(model, *recalibrated, images);
  EXPECT_LT(gap_recalibrated, 1e-4);
  EXPECT_GT(relative_gap(model, *stored, images), 1e-3) << "recalibration changed nothing?";
  std::cout << "[ exported file vs static subnet: " << gap_stored << " (stored BN), " << gap_recalibrated
            << " (recalibrated) ]\n";
}

TEST(OnnxExport, BadInputIsAnInputErrorAndLeavesTheOutputUntouched) {
  test::TinySetup s;
  torch::manual_seed(4);
  Supernet net(parse_search_space(test::kTinySpaceYaml, "tiny.yaml"));
  const std::string ckpt = s.dir.file("tiny.ckpt");
  save_checkpoint(ckpt, tiny_meta(s, test::kTinySpaceYaml), net, nullptr);
  const std::string good = test::read_file(ckpt);
  test::write_file(s.dir.file("corrupt.ckpt"), good.substr(0, good.size() / 2));
  nlohmann::json outside = arch_to_json(largest_arch(net->space()), net->space());
  outside["resolution"] = 99;
  test::write_file(s.dir.file("outside.json"), outside.dump());
  test::write_file(s.dir.file("bad_mapping.json"), R"({"version": 1, "layers": {"no_such_layer": "npu"}})");

  ExportOptions o;
  o.checkpoint = s.dir.file("corrupt.ckpt");
  o.output = s.dir.file("model.onnx");
  o.bn_batches = 0;
  EXPECT_THROW(export_onnx(o), InputError);
  EXPECT_FALSE(std::filesystem::exists(o.output));

  test::write_file(o.output, "previous");
  const auto attempt = [&](auto&& edit) {
    ExportOptions bad = o;
    bad.checkpoint = ckpt;
    edit(bad);
    EXPECT_THROW(export_onnx(bad), InputError);
    EXPECT_EQ(test::read_file(o.output), "previous");
  };
  attempt([&](ExportOptions& b) { b.checkpoint = s.dir.file("corrupt.ckpt"); });
  attempt([&](ExportOptions& b) { b.checkpoint = s.dir.file("missing.ckpt"); });
  attempt([&](ExportOptions& b) { b.checkpoint = s.space; });
  attempt([&](ExportOptions& b) { b.arch = s.dir.file("outside.json"); });
  attempt([&](ExportOptions& b) { b.arch = s.dir.file("missing.json"); });
  attempt([&](ExportOptions& b) { b.mapping = s.dir.file("bad_mapping.json"); });
  attempt([&](ExportOptions& b) { b.bn_batches = -1; });
  attempt([&](ExportOptions& b) { b.bn_batches = 1, b.data_spec = "fashion-mnist:" + s.dir.file("none"); });
  ExportOptions nowhere = o;
  nowhere.checkpoint = ckpt;
  nowhere.output = s.dir.file("no-such-dir/model.onnx");
  EXPECT_THROW(export_onnx(nowhere), InputError);
  ExportOptions onto_checkpoint = nowhere;
  onto_checkpoint.output = ckpt;
  EXPECT_THROW(export_onnx(onto_checkpoint), InputError);
  EXPECT_EQ(test::read_file(ckpt), good);
  EXPECT_EQ(s.dir.entries().size(), 7u) << "no temp file left behind";
}

// Round trip through `h4h import` (models/onnx): the exported model read back as a workload is the
// arch's workload in every weighted layer (names, shapes, fused activations) and in MACs and params.
TEST(OnnxExport, ImportedBackItIsTheArchsWorkload) {
  test::TinySetup s;
  torch::manual_seed(4);
  Supernet net(parse_search_space(test::kTinySpaceYaml, "tiny.yaml"));
  const std::string ckpt = s.dir.file("tiny.ckpt");
  save_checkpoint(ckpt, tiny_meta(s, test::kTinySpaceYaml), net, nullptr);
  const SearchSpace& space = net->space();
  const auto weighted = [](const Workload& w) {
    std::vector<const Layer*> out;
    for (const Layer& l : w.layers)
      if (l.op == OpKind::Conv2d || l.op == OpKind::DepthwiseConv2d || l.op == OpKind::Linear || l.op == OpKind::Matmul)
        out.push_back(&l);
    return out;
  };
  int i = 0;
  for (const ArchConfig& arch : {largest_arch(space), smallest_arch(space), random_hybrid(space, 7)}) {
    SCOPED_TRACE(arch_key(arch));
    const std::string arch_file = s.dir.file("arch" + std::to_string(i) + ".json");
    const std::string onnx_file = s.dir.file("subnet" + std::to_string(i++) + ".onnx");
    test::write_file(arch_file, arch_to_json(arch, space).dump());
    ExportOptions o;
    o.checkpoint = ckpt;
    o.arch = arch_file;
    o.output = onnx_file;
    o.bn_batches = 0;
    export_onnx(o);
    const test::RunResult r = test::run_command({test::h4h_binary(), "import", onnx_file, "-o", "-"}, 60);
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    const Workload imported = workload_from_json(nlohmann::json::parse(r.out), onnx_file);
    const Workload expected = arch_to_workload(arch, space);
    EXPECT_EQ(count_workload(imported).macs, count_workload(expected).macs);
    EXPECT_EQ(count_workload(imported).params, count_workload(expected).params);
    const std::vector<const Layer*> want = weighted(expected), got = weighted(imported);
    ASSERT_EQ(got.size(), want.size());
    for (size_t j = 0; j < want.size(); ++j) {
      const Layer &a = *want[j], &b = *got[j];
      SCOPED_TRACE(a.name);
      EXPECT_EQ(b.name, a.name);
      EXPECT_EQ(b.op, a.op);
      EXPECT_EQ(b.input, a.input);
      EXPECT_EQ(b.output, a.output);
      EXPECT_EQ(b.activation, a.activation);
      EXPECT_EQ(b.kernel_h, a.kernel_h);
      EXPECT_EQ(b.stride_h, a.stride_h);
      EXPECT_EQ(b.groups, a.groups);
      EXPECT_EQ(count_layer(b, imported.precision).macs, count_layer(a, expected.precision).macs);
    }
  }
}

TEST(OnnxExport, CliExportsATrainedSupernetAndBadInputExitsTwo) {
  test::TinySetup s;
  const test::RunResult trained = test::run_command(
      {test::h4h_binary(), "train", "--space", s.space, "--data", s.data, "--out", s.out, "--epochs", "1", "--batch-size", "8",
       "--val-count", "16", "--max-steps", "2", "--threads", "1"},
      120);
  ASSERT_EQ(trained.exit_code, 0) << trained.describe();
  const std::string ckpt = s.out + "/last.ckpt";
  const std::string out = s.dir.file("subnet.onnx");
  const test::RunResult ok = test::run_command({test::h4h_binary(), "export", "--checkpoint", ckpt, "--arch", "smallest", "-o",
                                                out, "--bn-batches", "1", "--batch-size", "8", "--threads", "1", "--json"},
                                               120);
  ASSERT_EQ(ok.exit_code, 0) << ok.describe();
  EXPECT_EQ(nlohmann::json::parse(ok.out)["output"], out);
  onnx::ModelProto model = load_model(out);
  EXPECT_NO_THROW(check_onnx_model(model));
  EXPECT_EQ(metadata(model, "h4h.space"), "tiny");

  const std::string corrupt = s.dir.file("corrupt.ckpt");
  test::write_file(corrupt, test::read_file(ckpt).substr(0, 100));
  const std::string other = s.dir.file("other.onnx");
  const test::RunResult bad =
      test::run_command({test::h4h_binary(), "export", "--checkpoint", corrupt, "-o", other, "--threads", "1"}, 60);
  EXPECT_EQ(bad.exit_code, 2) << bad.describe();
  EXPECT_NE(bad.err.find(corrupt), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(other));
}

}  // namespace h4h
