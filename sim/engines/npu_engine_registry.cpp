#include "sim/engines/npu_engine_registry.h"

#include <map>
#include <stdexcept>

#include "sim/core/cim_geometry.h"
#include "sim/core/error.h"

namespace h4h {
namespace {

std::map<std::string, std::unique_ptr<INpuEngine>>& engines() {
  static std::map<std::string, std::unique_ptr<INpuEngine>> registry;
  return registry;
}

}  // namespace

void register_npu_engine(std::unique_ptr<INpuEngine> engine) {
  if (!engine) throw std::logic_error("register_npu_engine: null engine");
  const std::string name = engine->name();
  if (name.empty()) throw std::logic_error("register_npu_engine: an engine without a name");
  if (!engines().emplace(name, std::move(engine)).second)
    throw std::logic_error("register_npu_engine: engine '" + name + "' registered twice");
  register_npu_engine_name(name);
}

const INpuEngine& npu_engine(const std::string& name) {
  auto it = engines().find(name);
  if (it == engines().end()) {
    std::string known;
    for (const auto& [n, e] : engines()) known += (known.empty() ? "" : ", ") + n;
    throw_input_error("hardware", "npu.engine", "unknown engine '" + name + "'; registered engines: " + known);
  }
  return *it->second;
}

const INpuEngine& npu_engine(const NpuSpec& npu) { return npu_engine(npu.engine); }

double peak_macs_per_cycle(Unit unit, const HardwareSpec& hw, int activation_bits) {
  if (unit == Unit::Npu) return npu_engine(hw.npu).peak_macs_per_cycle(hw.npu);
  return cim_peak_macs_per_cycle(hw.cim, activation_bits);
}

}  // namespace h4h
