#include "models/space/arch_config.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

using nlohmann::json;

bool BlockConfig::operator==(const BlockConfig& o) const {
  if (type != o.type) return false;
  if (type == BlockType::MBConv) return kernel == o.kernel && expand == o.expand && se == o.se;
  return heads == o.heads && head_dim == o.head_dim && mlp_ratio == o.mlp_ratio;
}

bool ArchConfig::operator==(const ArchConfig& o) const {
  return resolution == o.resolution && first_conv_width == o.first_conv_width && stages == o.stages &&
         head_conv_width == o.head_conv_width && head_fc_width == o.head_fc_width;
}

int ArchConfig::transformer_blocks() const {
  int n = 0;
  for (const StageConfig& s : stages)
    for (const BlockConfig& b : s.blocks) n += b.type == BlockType::Transformer;
  return n;
}

bool ArchConfig::has_transformer() const { return transformer_blocks() > 0; }

namespace {

template <typename T, typename U>
bool contains(const std::vector<T>& v, U x) {
  return std::find(v.begin(), v.end(), static_cast<T>(x)) != v.end();
}

template <typename T>
std::string choices(const std::vector<T>& v) {
  std::string out = "one of [";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + fmt::format("{}", v[i]);
  return out + "]";
}

}  // namespace

void validate_arch(const ArchConfig& a, const SearchSpace& space, const std::string& file) {
  auto check = [&](bool ok, const std::string& where, const std::string& expected) {
    if (!ok) throw_input_error(file, where, "not in search space '" + space.name + "': expected " + expected);
  };
  check(contains(space.resolutions, a.resolution), "resolution", choices(space.resolutions));
  check(contains(space.first_conv_widths, a.first_conv_width), "first_conv", choices(space.first_conv_widths));
  check(a.stages.size() == space.stages.size(), "stages", std::to_string(space.stages.size()) + " stages");
  for (size_t i = 0; i < a.stages.size(); ++i) {
    const StageSpace& ss = space.stages[i];
    const StageConfig& sc = a.stages[i];
    const std::string where = "stages[" + std::to_string(i) + "] (" + ss.name + ")";
    check(contains(ss.widths, sc.width), where + ".width", choices(ss.widths));
    check(contains(ss.depths, int(sc.blocks.size())), where + ".blocks", "a depth " + choices(ss.depths));
    for (size_t j = 0; j < sc.blocks.size(); ++j) {
      const BlockConfig& b = sc.blocks[j];
      const std::string bw = where + ".blocks[" + std::to_string(j) + "]";
      if (j == 0) check(b.type == BlockType::MBConv, bw + ".type", "mbconv (a stage's first block)");
      else check(contains(ss.later_blocks, b.type), bw + ".type", "a type the stage allows");
      if (b.type == BlockType::MBConv) {
        check(contains(ss.mbconv.kernels, b.kernel), bw + ".kernel", choices(ss.mbconv.kernels));
        check(contains(ss.mbconv.expands, b.expand), bw + ".expand", choices(ss.mbconv.expands));
        check(contains(ss.mbconv.se, b.se), bw + ".se", ss.mbconv.se.size() == 2 ? "true or false" : ss.mbconv.se[0] ? "true" : "false");
      } else {
        check(contains(ss.transformer.heads, b.heads), bw + ".heads", choices(ss.transformer.heads));
        check(contains(ss.transformer.head_dims, b.head_dim), bw + ".head_dim", choices(ss.transformer.head_dims));
        check(contains(ss.transformer.mlp_ratios, b.mlp_ratio), bw + ".mlp_ratio", choices(ss.transformer.mlp_ratios));
      }
    }
  }
  check(contains(space.head_conv_widths, a.head_conv_width), "head.conv", choices(space.head_conv_widths));
  check(contains(space.head_fc_widths, a.head_fc_width), "head.fc", choices(space.head_fc_widths));
}

json arch_to_json(const ArchConfig& a, const SearchSpace& space) {
  json stages = json::array();
  for (const StageConfig& s : a.stages) {
    json blocks = json::array();
    for (const BlockConfig& b : s.blocks) {
      if (b.type == BlockType::MBConv)
        blocks.push_back({{"type", "mbconv"}, {"kernel", b.kernel}, {"expand", b.expand}, {"se", b.se}});
      else
        blocks.push_back({{"type", "transformer"}, {"heads", b.heads}, {"head_dim", b.head_dim}, {"mlp_ratio", b.mlp_ratio}});
    }
    stages.push_back({{"width", s.width}, {"blocks", blocks}});
  }
  return json{{"space", space.name},
              {"resolution", a.resolution},
              {"first_conv", a.first_conv_width},
              {"stages", stages},
              {"head", {{"conv", a.head_conv_width}, {"fc", a.head_fc_width}}}};
}

namespace {

int64_t get_int(const json& obj, const std::string& key, const std::string& file, const std::string& where) {
  if (!obj.is_object() || !obj.contains(key)) throw_input_error(file, where + key, "missing; expected an integer");
  const json& v = obj.at(key);
  if (!v.is_number_integer()) throw_input_error(file, where + key, "expected an integer, got " + v.dump());
  return v.get<int64_t>();
}

void only_keys(const json& obj, std::initializer_list<const char*> keys, const std::string& file, const std::string& where) {
  if (!obj.is_object()) throw_input_error(file, where.empty() ? "(top level)" : where, "expected an object");
  for (auto& item : obj.items()) {
    const std::string& k = item.key();  // not a structured binding: clang 14 cannot capture one
    if (std::none_of(keys.begin(), keys.end(), [&](const char* x) { return k == x; }))
      throw_input_error(file, where + k, "unknown key");
  }
}

}  // namespace

ArchConfig arch_from_json(const json& doc, const SearchSpace& space, const std::string& file) {
  only_keys(doc, {"space", "resolution", "first_conv", "stages", "head"}, file, "");
  if (doc.contains("space") && (!doc.at("space").is_string() || doc.at("space").get<std::string>() != space.name))
    throw_input_error(file, "space", "this architecture belongs to " + doc.at("space").dump() + ", not '" + space.name + "'");
  ArchConfig a;
  a.resolution = int(get_int(doc, "resolution", file, ""));
  a.first_conv_width = get_int(doc, "first_conv", file, "");
  if (!doc.contains("stages") || !doc.at("stages").is_array()) throw_input_error(file, "stages", "missing; expected a list");
  for (size_t i = 0; i < doc.at("stages").size(); ++i) {
    const json& s = doc.at("stages")[i];
    const std::string where = "stages[" + std::to_string(i) + "].";
    only_keys(s, {"width", "blocks"}, file, where);
    StageConfig sc;
    sc.width = get_int(s, "width", file, where);
    if (!s.contains("blocks") || !s.at("blocks").is_array()) throw_input_error(file, where + "blocks", "missing; expected a list");
    for (size_t j = 0; j < s.at("blocks").size(); ++j) {
      const json& b = s.at("blocks")[j];
      const std::string bw = where + "blocks[" + std::to_string(j) + "].";
      if (!b.is_object() || !b.contains("type") || !b.at("type").is_string())
        throw_input_error(file, bw + "type", "expected \"mbconv\" or \"transformer\"");
      BlockConfig bc;
      const std::string type = b.at("type").get<std::string>();
      if (type == "mbconv") {
        only_keys(b, {"type", "kernel", "expand", "se"}, file, bw);
        bc.kernel = int(get_int(b, "kernel", file, bw));
        bc.expand = int(get_int(b, "expand", file, bw));
        if (!b.contains("se") || !b.at("se").is_boolean()) throw_input_error(file, bw + "se", "expected true or false");
        bc.se = b.at("se").get<bool>();
      } else if (type == "transformer") {
        only_keys(b, {"type", "heads", "head_dim", "mlp_ratio"}, file, bw);
        bc.type = BlockType::Transformer;
        bc.heads = int(get_int(b, "heads", file, bw));
        bc.head_dim = int(get_int(b, "head_dim", file, bw));
        bc.mlp_ratio = int(get_int(b, "mlp_ratio", file, bw));
      } else {
        throw_input_error(file, bw + "type", "expected \"mbconv\" or \"transformer\", got \"" + type + "\"");
      }
      sc.blocks.push_back(bc);
    }
    a.stages.push_back(sc);
  }
  if (!doc.contains("head")) throw_input_error(file, "head", "missing; expected {\"conv\": N, \"fc\": N}");
  only_keys(doc.at("head"), {"conv", "fc"}, file, "head.");
  a.head_conv_width = get_int(doc.at("head"), "conv", file, "head.");
  a.head_fc_width = get_int(doc.at("head"), "fc", file, "head.");
  validate_arch(a, space, file);
  return a;
}

ArchConfig load_arch(const std::string& path, const SearchSpace& space) {
  json doc;
  try {
    doc = json::parse(read_text_file(path));
  } catch (const json::exception& e) {
    throw_input_error(path, "", std::string("not valid JSON (") + e.what() + ")");
  }
  return arch_from_json(doc, space, path);
}

std::string arch_key(const ArchConfig& a) {
  std::string key = fmt::format("r{}-f{}", a.resolution, a.first_conv_width);
  for (const StageConfig& s : a.stages) {
    key += fmt::format("-w{}:", s.width);
    for (const BlockConfig& b : s.blocks)
      key += b.type == BlockType::MBConv ? fmt::format("m{}e{}{}", b.kernel, b.expand, b.se ? "s" : "")
                                         : fmt::format("t{}x{}r{}", b.heads, b.head_dim, b.mlp_ratio);
  }
  return key + fmt::format("-h{}.{}", a.head_conv_width, a.head_fc_width);
}

}  // namespace h4h
