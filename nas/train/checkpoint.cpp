#include "nas/train/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <exception>

#include <ATen/CPUGeneratorImpl.h>

#include "nas/train/train_api.h"
#include "sim/core/error.h"

namespace h4h {

using nlohmann::json;

namespace {

void fsync_path(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw std::runtime_error(path + ": cannot reopen to sync");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw std::runtime_error(path + ": fsync failed");
}

torch::serialize::InputArchive open_archive(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) throw InputError(path + ": cannot read the checkpoint (no such file?)");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path);
  } catch (const std::exception& e) {
    throw InputError(path + ": not a readable checkpoint (corrupt or truncated LibTorch archive)");
  }
  return archive;
}

}  // namespace

void save_checkpoint(const std::string& path, const json& meta, Supernet& net, torch::optim::Optimizer* optimizer) {
  torch::serialize::OutputArchive archive;
  archive.write("h4h_meta", c10::IValue(meta.dump()));
  torch::serialize::OutputArchive model;
  net->save(model);
  archive.write("model", model);
  if (optimizer) {
    torch::serialize::OutputArchive optim;
    optimizer->save(optim);
    archive.write("optimizer", optim);
  }
  {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    archive.write("torch_rng", gen.get_state());
  }
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  try {
    archive.save_to(tmp);
    fsync_path(tmp);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) throw std::runtime_error("rename failed");
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": cannot write the checkpoint (" + std::string(e.what()).substr(0, 200) +
                             "); the previous checkpoint, if any, is intact");
  }
}

json read_checkpoint_meta(const std::string& path) {
  torch::serialize::InputArchive archive = open_archive(path);
  c10::IValue value;
  if (!archive.try_read("h4h_meta", value) || !value.isString())
    throw InputError(path + ": not an h4h supernet checkpoint (no h4h_meta record)");
  json meta;
  try {
    meta = json::parse(value.toStringRef());
  } catch (const std::exception& e) {
    throw InputError(path + ": h4h_meta: not valid JSON");
  }
  if (!meta.is_object() || meta.value("format", "") != kCheckpointFormat)
    throw InputError(path + ": h4h_meta: format: expected \"" + kCheckpointFormat + "\"");
  if (meta.value("version", 0) != kCheckpointVersion)
    throw InputError(path + ": h4h_meta: version: expected " + std::to_string(kCheckpointVersion));
  for (const char* key : {"space_yaml", "data", "options", "step", "total_steps", "loader", "sample_rng"})
    if (!meta.contains(key)) throw InputError(path + ": h4h_meta: missing key \"" + key + "\"");
  return meta;
}

SearchSpace checkpoint_space(const json& meta, const std::string& path) {
  if (!meta.at("space_yaml").is_string()) throw InputError(path + ": h4h_meta: space_yaml: expected a string");
  return parse_search_space(meta.at("space_yaml").get<std::string>(), path + " (embedded search space)");
}

SearchSpace read_checkpoint_space(const std::string& path) {
  return checkpoint_space(read_checkpoint_meta(path), path);
}

void load_checkpoint_state(const std::string& path, Supernet& net, torch::optim::Optimizer* optimizer) {
  torch::serialize::InputArchive archive = open_archive(path);
  try {
    // Module::load resizes tensors to what it reads: compare every shape afterwards.
    std::vector<std::pair<std::string, std::vector<int64_t>>> shapes;
    for (const auto& item : net->named_parameters()) shapes.emplace_back(item.key(), item.value().sizes().vec());
    for (const auto& item : net->named_buffers()) shapes.emplace_back(item.key(), item.value().sizes().vec());
    torch::serialize::InputArchive model;
    archive.read("model", model);
    net->load(model);
    auto params = net->named_parameters();
    auto buffers = net->named_buffers();
    for (const auto& [name, sizes] : shapes) {
      const torch::Tensor* t = params.find(name);
      if (!t) t = buffers.find(name);
      if (!t || t->sizes().vec() != sizes)
        throw InputError(path + ": model." + name + ": stored with shape " + (t ? c10::str(t->sizes()) : "none") +
                         ", the supernet of its search space has " + c10::str(c10::IntArrayRef(sizes)));
    }
    if (optimizer) {
      torch::serialize::InputArchive optim;
      archive.read("optimizer", optim);
      optimizer->load(optim);
      torch::Tensor rng_state;
      archive.read("torch_rng", rng_state);
      auto gen = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_state(rng_state);
    }
  } catch (const InputError&) {
    throw;
  } catch (const std::exception& e) {
    std::string what = e.what();
    what = what.substr(0, what.find('\n'));
    throw InputError(path + ": the stored tensors do not match the supernet of its search space: " + what);
  }
}

}  // namespace h4h
