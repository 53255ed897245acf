#include "nas/cli/train_plugin.h"

#include <dlfcn.h>
#include <unistd.h>

#include <cstdlib>
#include <stdexcept>
#include <string>

#include "sim/core/error.h"

namespace h4h {

namespace {

std::string library_path() {
  if (const char* env = std::getenv("H4H_TRAIN_LIBRARY"); env && *env) return env;
  std::string exe(4096, '\0');
  const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size() - 1);
  if (n <= 0) return "libh4h_train.so";
  exe.resize(size_t(n));
  return exe.substr(0, exe.rfind('/') + 1) + "libh4h_train.so";
}

const TrainPluginApi& load() {
  const char* env = std::getenv("H4H_TRAIN_LIBRARY");
  if (!H4H_WITH_TORCH && !(env && *env))
    throw InputError(
        "this h4h was built without LibTorch (cmake -DH4H_WITH_TORCH=OFF), so it has no training library: "
        "train, eval, export and search need one; reconfigure with -DH4H_WITH_TORCH=ON and rebuild");
  const std::string path = library_path();
  void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) throw std::runtime_error(path + ": cannot load the training library: " + ::dlerror());
  using Entry = const TrainPluginApi* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(handle, "h4h_train_plugin_api"));
  if (!entry) throw std::runtime_error(path + ": not the h4h training library (no h4h_train_plugin_api)");
  const TrainPluginApi* api = entry();
  if (!api || api->version != kTrainPluginVersion)
    throw std::runtime_error(path + ": training library of another h4h version; rebuild h4h");
  return *api;  // the library stays loaded for the life of the process
}

}  // namespace

const TrainPluginApi& train_plugin() {
  static const TrainPluginApi& api = load();
  return api;
}

}  // namespace h4h
