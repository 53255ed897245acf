// h4h space show FILE | sample --space FILE --n N --seed S --out DIR [--kind random|smallest|largest|cnn]
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "models/space/arch_workload.h"
#include "models/space/sampling.h"
#include "nas/cli/commands.h"
#include "nas/cli/progress.h"
#include "nas/cli/table.h"
#include "sim/core/error.h"
#include "sim/core/file_io.h"
#include "sim/core/workload_json.h"

namespace h4h {

namespace {

template <typename T>
std::string list(const std::vector<T>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + fmt::format("{}", v[i]);
  return out;
}

std::string space_text(const SearchSpace& s) {
  std::string out = fmt::format("{} ({}): {} classes, {} input channels, resolutions {}, ~10^{:.1f} subnets\n", s.name,
                                s.file, s.num_classes, s.input_channels, list(s.resolutions), log10_space_size(s));
  TextTable t({"stage", "widths", "depths", "stride", "kernels", "expands", "se", "later blocks", "heads", "head dims", "mlp"});
  t.add_row({"first_conv", list(s.first_conv_widths), "1", std::to_string(s.first_conv_stride),
             std::to_string(s.first_conv_kernel), "", "", "", "", "", ""});
  for (const StageSpace& st : s.stages) {
    std::vector<std::string> types;
    for (BlockType b : st.later_blocks) types.push_back(block_type_name(b));
    std::vector<std::string> se;
    for (bool b : st.mbconv.se) se.push_back(b ? "yes" : "no");
    t.add_row({st.name, list(st.widths), list(st.depths), std::to_string(st.stride), list(st.mbconv.kernels),
               list(st.mbconv.expands), list(se), list(types), list(st.transformer.heads),
               list(st.transformer.head_dims), list(st.transformer.mlp_ratios)});
  }
  t.add_row({"head", list(s.head_conv_widths) + " / " + list(s.head_fc_widths), "", "", "", "", "", "", "", "", ""});
  return out + t.render();
}

void make_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
    throw std::runtime_error(path + ": cannot create directory: " + std::strerror(errno));
}

}  // namespace

void add_space_commands(CLI::App& app, Action& action) {
  CLI::App* space = app.add_subcommand("space", "Inspect and sample hybrid CNN/ViT search spaces");
  space->require_subcommand(1);

  auto show_file = std::make_shared<std::string>();
  CLI::App* show = space->add_subcommand("show", "Print a search space's choices and size");
  show->add_option("space", *show_file, "search-space YAML (models/spaces/*.yaml)")->required();
  show->callback([&action, show_file] {
    action = [show_file] {
      std::cout << space_text(load_search_space(*show_file));
      return 0;
    };
  });

  struct Options {
    std::string space, out, kind = "random";
    int n = 10;
    uint64_t seed = 0;
  };
  auto opt = std::make_shared<Options>();
  CLI::App* sample = space->add_subcommand("sample", "Write N subnets as workload JSON files (and arch_*.json ArchConfigs)");
  sample->add_option("--space", opt->space, "search-space YAML")->required();
  sample->add_option("--n", opt->n, "how many subnets")->capture_default_str()->check(CLI::Range(1, 1000000));
  sample->add_option("--seed", opt->seed, "random seed")->capture_default_str();
  sample->add_option("--kind", opt->kind, "random | cnn (MBConv only) | smallest | largest")
      ->capture_default_str()
      ->check(CLI::IsMember({"random", "cnn", "smallest", "largest"}));
  sample->add_option("--out", opt->out, "output directory")->required();
  sample->callback([&action, opt] {
    action = [opt] {
      const SearchSpace space = load_search_space(opt->space);
      make_dir(opt->out);
      Rng rng(opt->seed);
      ProgressBar bar("sample", opt->n);
      for (int i = 0; i < opt->n; ++i) {
        ArchConfig arch = opt->kind == "smallest" ? smallest_arch(space)
                          : opt->kind == "largest" ? largest_arch(space)
                                                   : random_arch(space, rng, opt->kind == "cnn");
        const std::string id = fmt::format("{:04d}", i);
        const Workload w = arch_to_workload(arch, space, fmt::format("{}-{}", space.name, id));
        write_file_atomic(fmt::format("{}/arch_{}.json", opt->out, id), arch_to_json(arch, space).dump(1) + "\n");
        save_workload(w, fmt::format("{}/subnet_{}.json", opt->out, id));
        bar.advance();
      }
      bar.finish();
      std::cout << fmt::format("wrote {} subnets of {} to {}/ (subnet_NNNN.json workloads, arch_NNNN.json configs)\n", opt->n,
                               space.name, opt->out);
      return 0;
    };
  });
}

}  // namespace h4h
