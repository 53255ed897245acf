#include "models/space/search_space.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <yaml-cpp/yaml.h>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/core/workload_json.h"

namespace h4h {

const char* block_type_name(BlockType type) { return type == BlockType::MBConv ? "mbconv" : "transformer"; }

bool SearchSpace::allows_transformers() const {
  for (const StageSpace& s : stages)
    for (BlockType t : s.later_blocks)
      if (t == BlockType::Transformer) return true;
  return false;
}

namespace {

// Reads a YAML mapping, naming the file and the key path in every error.
class Node {
 public:
  Node(YAML::Node node, std::string file, std::string path) : node_(std::move(node)), file_(std::move(file)), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& what) const { throw_input_error(file_, path_.empty() ? "(top level)" : path_, what); }
  std::string child_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  void expect_keys(std::initializer_list<const char*> required, std::initializer_list<const char*> optional = {}) const {
    if (!node_.IsMap()) fail("expected a mapping of keys");
    std::set<std::string> known;
    for (const char* k : required) known.insert(k);
    for (const char* k : optional) known.insert(k);
    for (const auto& kv : node_)
      if (!known.count(kv.first.Scalar())) throw_input_error(file_, child_path(kv.first.Scalar()), "unknown key");
    for (const char* k : required)
      if (!node_[k]) throw_input_error(file_, child_path(k), "missing");
  }
  bool has(const char* key) const { return bool(node_[key]); }
  Node operator[](const char* key) const { return Node(node_[key], file_, child_path(key)); }

  int64_t integer(int64_t lo, int64_t hi) const {
    if (!node_.IsScalar()) fail("expected an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    int64_t v = 0;
    try {
      v = node_.as<int64_t>();
    } catch (const YAML::Exception&) {
      fail("expected an integer, got \"" + node_.Scalar() + "\"");
    }
    if (v < lo || v > hi) fail("value " + std::to_string(v) + " out of range [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return v;
  }
  std::string text() const {
    if (!node_.IsScalar()) fail("expected a string");
    return node_.Scalar();
  }
  template <typename T>
  std::vector<T> int_list(int64_t lo, int64_t hi) const {
    if (!node_.IsSequence() || node_.size() == 0) fail("expected a non-empty list of choices");
    std::vector<T> out;
    std::set<int64_t> seen;
    for (size_t i = 0; i < node_.size(); ++i) {
      int64_t v = Node(node_[i], file_, path_ + "[" + std::to_string(i) + "]").integer(lo, hi);
      if (!seen.insert(v).second) fail("choice " + std::to_string(v) + " is listed twice");
      out.push_back(static_cast<T>(v));
    }
    for (size_t i = 1; i < out.size(); ++i)
      if (out[i] < out[i - 1]) fail("choices must be listed in increasing order");
    return out;
  }
  std::vector<std::string> string_list() const {
    if (!node_.IsSequence() || node_.size() == 0) fail("expected a non-empty list");
    std::vector<std::string> out;
    for (size_t i = 0; i < node_.size(); ++i) out.push_back(Node(node_[i], file_, path_ + "[" + std::to_string(i) + "]").text());
    return out;
  }
  std::vector<bool> bool_list() const {
    if (!node_.IsSequence() || node_.size() == 0 || node_.size() > 2) fail("expected [false], [true] or [false, true]");
    std::vector<bool> out;
    for (size_t i = 0; i < node_.size(); ++i) {
      const std::string v = node_[i].IsScalar() ? node_[i].Scalar() : "";
      if (v != "true" && v != "false") fail("expected true or false, got \"" + v + "\"");
      out.push_back(v == "true");
    }
    if (out.size() == 2 && (out[0] || !out[1])) fail("expected [false], [true] or [false, true]");
    return out;
  }

 private:
  YAML::Node node_;
  std::string file_, path_;
};

constexpr int64_t kMaxWidth = 1 << 14;

ActivationFn parse_activation(const Node& n) {
  const std::string a = n.text();
  if (a == "relu") return ActivationFn::Relu;
  if (a == "relu6") return ActivationFn::Relu6;
  if (a == "swish" || a == "silu") return ActivationFn::Swish;
  if (a == "hswish") return ActivationFn::HSwish;
  if (a == "gelu") return ActivationFn::Gelu;
  n.fail("expected relu, relu6, swish, hswish or gelu, got \"" + a + "\"");
}

StageSpace parse_stage(const Node& n, size_t index) {
  n.expect_keys({"name", "widths", "depths", "stride", "mbconv"}, {"transformer", "later_blocks"});
  StageSpace s;
  s.name = n["name"].text();
  s.widths = n["widths"].int_list<int64_t>(1, kMaxWidth);
  s.depths = n["depths"].int_list<int>(1, 64);
  s.stride = int(n["stride"].integer(1, 4));
  const Node mb = n["mbconv"];
  mb.expect_keys({"kernels", "expands", "se"});
  s.mbconv.kernels = mb["kernels"].int_list<int>(1, 15);
  for (int k : s.mbconv.kernels)
    if (k % 2 == 0) mb["kernels"].fail("kernels must be odd (same padding), got " + std::to_string(k));
  s.mbconv.expands = mb["expands"].int_list<int>(1, 16);
  s.mbconv.se = mb["se"].bool_list();
  if (n.has("transformer")) {
    const Node tr = n["transformer"];
    tr.expect_keys({"heads", "head_dims", "mlp_ratios"});
    s.has_transformer = true;
    s.transformer.heads = tr["heads"].int_list<int>(1, 256);
    s.transformer.head_dims = tr["head_dims"].int_list<int>(1, 1024);
    s.transformer.mlp_ratios = tr["mlp_ratios"].int_list<int>(1, 16);
  }
  s.later_blocks = {BlockType::MBConv};
  if (n.has("later_blocks")) {
    const Node lb = n["later_blocks"];
    s.later_blocks.clear();
    for (const std::string& t : lb.string_list()) {
      if (t == "mbconv") s.later_blocks.push_back(BlockType::MBConv);
      else if (t == "transformer") s.later_blocks.push_back(BlockType::Transformer);
      else lb.fail("expected mbconv or transformer, got \"" + t + "\"");
    }
    if (s.later_blocks.size() == 2 && s.later_blocks[0] == s.later_blocks[1]) lb.fail("a block type is listed twice");
  }
  for (BlockType t : s.later_blocks)
    if (t == BlockType::Transformer && !s.has_transformer)
      n.fail("later_blocks allows transformer blocks but the stage has no transformer choices");
  if (s.has_transformer && std::find(s.later_blocks.begin(), s.later_blocks.end(), BlockType::Transformer) == s.later_blocks.end())
    n["transformer"].fail("transformer choices given but later_blocks does not allow transformer blocks");
  if (index == 0 && s.stride < 1) n.fail("stride must be positive");
  return s;
}

// Every subnet stays within the workload limits (workload_json.h) when the biggest ones do: each
// layer grows with every choice, so the largest subnet with all later blocks MBConvs and the one
// with all later blocks transformers (where a stage allows them) bound every layer of every subnet.
void check_subnet_limits(const SearchSpace& space, const Node& root) {
  constexpr size_t kMaxLayersPerBlock = 20;  // a transformer block has 14, an MBConv at most 8
  size_t blocks = 0;
  for (const StageSpace& s : space.stages) blocks += size_t(s.depths.back());
  if (blocks * kMaxLayersPerBlock > kMaxLayers)
    root["stages"].fail(std::to_string(blocks) + " blocks in the deepest subnet; a workload has at most " +
                        std::to_string(kMaxLayers) + " layers");
  for (BlockType type : {BlockType::MBConv, BlockType::Transformer}) {
    ArchConfig a = largest_arch(space);
    for (size_t i = 0; i < a.stages.size(); ++i) {
      const StageSpace& s = space.stages[i];
      if (std::find(s.later_blocks.begin(), s.later_blocks.end(), type) == s.later_blocks.end()) continue;
      for (size_t j = 1; j < a.stages[i].blocks.size(); ++j) {
        BlockConfig& b = a.stages[i].blocks[j];
        b = BlockConfig{};
        b.type = type;
        if (type == BlockType::MBConv) {
          b.kernel = s.mbconv.kernels.back(), b.expand = s.mbconv.expands.back(), b.se = s.mbconv.se.back();
        } else {
          b.heads = s.transformer.heads.back(), b.head_dim = s.transformer.head_dims.back();
          b.mlp_ratio = s.transformer.mlp_ratios.back();
        }
      }
    }
    check_workload_limits(arch_to_workload(a, space), space.file + ": the largest " + block_type_name(type) + " subnet");
  }
}

}  // namespace

SearchSpace parse_search_space(const std::string& text, const std::string& file) {
  if (text.find('\0') != std::string::npos) throw_input_error(file, "", "binary data, expected a YAML search space");
  if (const size_t at = invalid_utf8_offset(text); at != std::string::npos)
    throw_input_error(file, "byte " + std::to_string(at), "not UTF-8 text, expected a YAML search space");
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw_input_error(file, "line " + std::to_string(e.mark.line + 1), std::string("not valid YAML: ") + e.msg);
  }
  if (!root || root.IsNull()) throw_input_error(file, "", "empty; expected a search space (version: 1, ...)");
  const Node n(root, file, "");
  n.expect_keys({"version", "name", "input_channels", "num_classes", "resolutions", "activation", "first_conv", "stages", "head"});
  n["version"].integer(1, 1);
  SearchSpace space;
  space.file = file;
  space.name = n["name"].text();
  space.input_channels = int(n["input_channels"].integer(1, 64));
  space.num_classes = int(n["num_classes"].integer(2, 100000));
  space.resolutions = n["resolutions"].int_list<int>(8, 4096);
  space.activation = parse_activation(n["activation"]);
  const Node fc = n["first_conv"];
  fc.expect_keys({"widths", "kernel", "stride"});
  space.first_conv_widths = fc["widths"].int_list<int64_t>(1, kMaxWidth);
  space.first_conv_kernel = int(fc["kernel"].integer(1, 15));
  space.first_conv_stride = int(fc["stride"].integer(1, 4));
  const Node stages = n["stages"];
  if (!root["stages"].IsSequence() || root["stages"].size() == 0) stages.fail("expected a non-empty list of stages");
  std::set<std::string> names;
  for (size_t i = 0; i < root["stages"].size(); ++i) {
    const Node st(root["stages"][i], file, "stages[" + std::to_string(i) + "]");
    space.stages.push_back(parse_stage(st, i));
    if (!names.insert(space.stages.back().name).second) st["name"].fail("duplicate stage name");
  }
  const Node head = n["head"];
  head.expect_keys({"conv_widths", "fc_widths"});
  space.head_conv_widths = head["conv_widths"].int_list<int64_t>(1, kMaxWidth);
  space.head_fc_widths = head["fc_widths"].int_list<int64_t>(1, kMaxWidth);
  // Every resolution must survive the strides with at least one pixel.
  int64_t stride = space.first_conv_stride;
  for (const StageSpace& s : space.stages) stride = std::min<int64_t>(stride * s.stride, int64_t(1) << 32);
  if (space.resolutions.front() < stride)
    n["resolutions"].fail("the smallest resolution (" + std::to_string(space.resolutions.front()) +
                          ") is below the network's total stride (" + std::to_string(stride) + ")");
  check_subnet_limits(space, n);
  return space;
}

SearchSpace load_search_space(const std::string& path) { return parse_search_space(read_text_file(path), path); }

double log10_space_size(const SearchSpace& space) {
  double total = std::log10(double(space.resolutions.size())) + std::log10(double(space.first_conv_widths.size())) +
                 std::log10(double(space.head_conv_widths.size())) + std::log10(double(space.head_fc_widths.size()));
  for (const StageSpace& s : space.stages) {
    const double mb = double(s.mbconv.kernels.size() * s.mbconv.expands.size() * s.mbconv.se.size());
    double later = 0;
    for (BlockType t : s.later_blocks)
      later += t == BlockType::MBConv ? mb
                                      : double(s.transformer.heads.size() * s.transformer.head_dims.size() *
                                               s.transformer.mlp_ratios.size());
    // sum over depths d of mb * later^(d-1), in log space
    double sum = 0;
    for (int d : s.depths) sum += std::pow(10.0, std::log10(mb) + (d - 1) * std::log10(later) - 300);
    total += std::log10(double(s.widths.size())) + std::log10(sum) + 300;
  }
  return total;
}

}  // namespace h4h