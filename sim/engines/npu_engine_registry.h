#pragma once
// The NPU engines by `npu.engine` name. Each engine registers itself from its own source file with
// H4H_REGISTER_NPU_ENGINE(Class) (a static object; the engines library is linked whole, so every
// registered engine is present in every program that links it). Registering also adds the name to
// the values the hardware loader accepts for npu.engine (hardware.h), so an unknown engine is a
// hardware-file error naming the key.
#include <memory>
#include <string>
#include <vector>

#include "sim/core/capability.h"
#include "sim/core/hardware.h"
#include "sim/engines/i_npu_engine.h"

namespace h4h {

// Registers `engine` under engine->name(). Throws std::logic_error on an empty or duplicate name
// (a programming error, found at start-up).
void register_npu_engine(std::unique_ptr<INpuEngine> engine);

// The engine `npu.engine` names. Throws InputError naming the key when no engine has that name
// (only possible for a spec built in code: the hardware loader checks the name).
const INpuEngine& npu_engine(const NpuSpec& npu);
const INpuEngine& npu_engine(const std::string& name);

// Peak MACs per cycle of one unit of `hw` at `activation_bits`-bit inputs (0 for an absent CIM).
double peak_macs_per_cycle(Unit unit, const HardwareSpec& hw, int activation_bits);

namespace detail {
template <typename Engine>
struct NpuEngineRegistrar {
  NpuEngineRegistrar() { register_npu_engine(std::make_unique<Engine>()); }
};
}  // namespace detail

}  // namespace h4h

#define H4H_REGISTER_NPU_ENGINE(Engine) \
  static const ::h4h::detail::NpuEngineRegistrar<Engine> h4h_npu_engine_registrar_##Engine {}
