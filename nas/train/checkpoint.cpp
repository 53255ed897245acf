#include "nas/train/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>

#include <ATen/CPUGeneratorImpl.h>

#include "nas/train/archive_integrity.h"
#include "nas/train/train_api.h"
#include "sim/core/error.h"

namespace h4h {

using nlohmann::json;

namespace {

torch::serialize::InputArchive open_archive(const std::string& path) {
  if (::access(path.c_str(), R_OK) != 0) throw InputError(path + ": cannot read the checkpoint (no such file?)");
  require_intact_archive(path);
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
  try {
    write_archive_atomic(path, [&](const ArchiveWriter& writer) { archive.save_to(writer); });
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()).substr(0, 300) + "; the previous checkpoint, if any, is intact");
  }
}

// LibTorch 1.13 ends the process (std::terminate: PyTorchStreamWriter's destructor throws while the
// first write error unwinds) when its own file writer fails mid-archive. So LibTorch never sees a
// failed write here: the writer keeps the first error, swallows the rest of the archive, and the
// error is raised once LibTorch is done.
void write_archive_atomic(const std::string& path, const std::function<void(const ArchiveWriter&)>& save) {
  std::string tmp = path + ".tmp.XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) throw std::runtime_error(path + ": cannot create a temporary file: " + std::strerror(errno));
  int error = 0;
  const ArchiveWriter writer = [&](const void* data, size_t size) -> size_t {
    const char* p = static_cast<const char*>(data);
    for (size_t left = size; error == 0 && left > 0;) {
      const ssize_t n = ::write(fd, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        error = errno;
        break;
      }
      p += n;
      left -= size_t(n);
    }
    return size;
  };
  std::string failure;
  try {
    save(writer);
    if (error == 0 && (::fsync(fd) != 0 || ::fchmod(fd, 0644) != 0)) error = errno;
    if (error != 0) failure = std::string("write failed: ") + std::strerror(error);
  } catch (const std::exception& e) {
    failure = std::string("cannot serialise: ") + std::string(e.what()).substr(0, 200);
  }
  if (::close(fd) != 0 && failure.empty()) failure = std::string("write failed: ") + std::strerror(errno);
  if (failure.empty() && std::rename(tmp.c_str(), path.c_str()) != 0)
    failure = std::string("cannot replace the file: ") + std::strerror(errno);
  if (!failure.empty()) {
    ::unlink(tmp.c_str());
    throw std::runtime_error(path + ": " + failure);
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
  if (!meta.is_object() || !meta.contains("format") || meta.at("format") != kCheckpointFormat)
    throw InputError(path + ": h4h_meta: format: expected \"" + kCheckpointFormat + "\"");
  if (!meta.contains("version") || meta.at("version") != kCheckpointVersion)
    throw InputError(path + ": h4h_meta: version: expected " + std::to_string(kCheckpointVersion));
  for (const char* key : {"space_yaml", "data", "options", "step", "total_steps", "loader", "sample_rng"})
    if (!meta.contains(key)) throw InputError(path + ": h4h_meta: missing key \"" + key + "\"");
  // The types the commands read the keys with (trainer.cpp, eval_session.cpp, onnx_export.cpp).
  const auto expect = [&](const json& doc, const char* key, bool ok, const char* what) {
    if (!ok)
      throw InputError(path + ": h4h_meta: " + key + ": expected " + what + ", got " + doc.at(key).dump().substr(0, 80));
  };
  const auto count = [](const json& v) { return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0); };
  expect(meta, "space_yaml", meta.at("space_yaml").is_string(), "a string");
  expect(meta, "data", meta.at("data").is_object(), "an object");
  expect(meta, "options", meta.at("options").is_object(), "an object");
  expect(meta, "step", count(meta.at("step")), "a non-negative integer");
  expect(meta, "total_steps", count(meta.at("total_steps")), "a non-negative integer");
  expect(meta, "loader", meta.at("loader").is_object(), "an object");
  expect(meta, "sample_rng", meta.at("sample_rng").is_string(), "a string");
  if (meta.contains("elapsed_s")) expect(meta, "elapsed_s", meta.at("elapsed_s").is_number(), "a number");
  if (meta.contains("ranks")) expect(meta, "ranks", meta.at("ranks").is_number_integer(), "an integer");
  const json& options = meta.at("options");
  if (options.contains("data")) expect(options, "data", options.at("data").is_string(), "a string (options.data)");
  if (options.contains("val_count"))
    expect(options, "val_count", options.at("val_count").is_number_integer(), "an integer (options.val_count)");
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
