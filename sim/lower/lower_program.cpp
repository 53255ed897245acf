#include "sim/lower/lower_program.h"

#include <algorithm>
#include <map>

#include "sim/core/cim_geometry.h"
#include "sim/lower/cim_lowering.h"
#include "sim/lower/ethos_u55_lowering.h"
#include "sim/core/sram_allocator.h"
#include "sim/lower/systolic_lowering.h"

namespace h4h {

namespace {

using cyc::MemoryTarget;
using cyc::TensorRef;

constexpr int64_t kWeightAlignment = 16;

int64_t align_up(int64_t x, int64_t a) { return (x + a - 1) / a * a; }

// Shared-SRAM ranges of every layer's operands and output.
struct LayerTensors {
  std::vector<TensorRef> inputs;  // first operand, then the extra operands
  TensorRef output;
};

bool allocate_activations(const Workload& w, const HardwareSpec& hw, cyc::Program* program,
                          std::vector<LayerTensors>* tensors, std::string* reason) {
  std::vector<TensorLifetime> lifetimes;
  const SramAllocation a = allocate_activations(w, hw, &lifetimes);
  if (!a.ok) return *reason = sram_fit_reason(hw, a), false;
  std::map<std::string, TensorRef> by_name;
  for (size_t t = 0; t < lifetimes.size(); ++t) {
    const TensorRef ref{MemoryTarget::Sram, a.address[t], lifetimes[t].bytes};
    by_name[lifetimes[t].name] = ref;
    program->tensors.push_back({lifetimes[t].name, ref});
  }
  program->sram_peak_bytes = a.peak_bytes;
  tensors->assign(w.layers.size(), LayerTensors{});
  auto find = [&](const std::string& name) {
    auto it = by_name.find(name);
    return it == by_name.end() ? TensorRef{} : it->second;
  };
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    LayerTensors& lt = (*tensors)[i];
    if (l.inputs.empty()) {
      lt.inputs.push_back(find(l.name + ".in"));
    } else {
      for (int p : l.inputs) lt.inputs.push_back(find(w.layers[size_t(p)].name + ".out"));
    }
    lt.output = find(l.name + ".out");
  }
  return true;
}

// A part's share of its layer's output range: the NPU part first, then the CIM part.
TensorRef output_share(const TensorRef& whole, const Layer& layer, const Layer& part, Unit unit, const Placement& p) {
  if (!p.split()) return whole;
  const int64_t out_c = std::max<int64_t>(1, layer.output.c);
  const int64_t npu_c = layer_part(layer, Unit::Npu, p).output.c;
  const int64_t npu_bytes = whole.bytes * npu_c / out_c;
  TensorRef r = whole;
  if (unit == Unit::Npu) {
    r.bytes = npu_bytes;
  } else {
    r.address += npu_bytes;
    r.bytes = whole.bytes - npu_bytes;
  }
  (void)part;
  return r;
}

// The Ethos-U55 commands of a layer part: weights then scale/bias in external memory (flash), as
// Vela's default system places them.
bool lower_ethos_u55_layer(const Layer& part, const Precision& p, const HardwareSpec& hw, const std::vector<TensorRef>& inputs,
                           const TensorRef& weights, const TensorRef& output, std::vector<cyc::U55Command>* commands,
                           std::string* why) {
  U55TensorAddresses a;
  a.ifm = inputs.empty() ? 0 : inputs.front().address;
  for (size_t k = 1; k < inputs.size(); ++k) a.extra_ifm.push_back(inputs[k].address);
  a.ofm = output.address;
  a.weights = weights.address;
  a.weights_in_sram = false;
  a.scale_bias = weights.address + count_layer(part, p).weight_bytes;
  a.scale_bias_in_sram = false;
  U55Lowering l = lower_ethos_u55(part, p, hw.npu, a);
  if (!l.supported) return *why = l.reason, false;
  *commands = std::move(l.commands);
  return true;
}

}  // namespace

LoweredProgram lower_program(const Workload& w, const HardwareSpec& hw, const Mapping& m) {
  LoweredProgram out;
  auto fail = [&](std::string why) {
    out.ok = false;
    out.reason = std::move(why);
    out.program = cyc::Program{};
    return out;
  };
  if (std::string problem = mapping_problem(w, hw, m); !problem.empty()) return fail(problem);

  std::vector<LayerTensors> tensors;
  std::string reason;
  if (!allocate_activations(w, hw, &out.program, &tensors, &reason)) return fail(reason);

  MramPlacer mram(hw.cim);
  std::vector<std::vector<MramSlot>> resident_slots(w.layers.size());
  if (hw.cim.present) {
    if (std::string problem = mram.place_resident(w, m, &resident_slots); !problem.empty()) return fail(problem);
  }

  int64_t external_next = 0;
  auto weights_at = [&](int64_t bytes) {
    const TensorRef r{MemoryTarget::External, external_next, bytes};
    external_next = align_up(external_next + bytes, kWeightAlignment);
    return r;
  };

  std::vector<std::vector<int>> layer_tasks(w.layers.size());
  uint64_t next_weights_id = 1;
  for (size_t i = 0; i < w.layers.size(); ++i) {
    const Layer& l = w.layers[i];
    const Placement& p = m.layers[i];
    std::vector<int> after;
    for (int producer : l.inputs)
      for (int t : layer_tasks[size_t(producer)]) after.push_back(t);
    for (Unit unit : {Unit::Npu, Unit::Cim}) {
      if (unit == Unit::Npu ? !p.on_npu() : !p.on_cim()) continue;
      const Layer part = p.split() ? layer_part(l, unit, p) : l;
      const LayerCounts counts = count_layer(part, w.precision);
      cyc::Task task;
      task.layer = int(i);
      task.name = l.name;
      task.unit = unit;
      task.after = after;
      const TensorRef output = output_share(tensors[i].output, l, part, unit, p);
      const TensorRef weights = weights_at(counts.weight_bytes + counts.bias_bytes);
      if (unit == Unit::Npu) {
        cyc::NpuTask npu;
        std::string why;
        if (hw.npu.engine == "systolic") {
          if (!lower_systolic(part, w.precision, hw.npu, tensors[i].inputs, weights, output, &npu, &why))
            return fail("layer '" + l.name + "': " + why);
        } else {
          std::vector<cyc::U55Command> commands;
          if (!lower_ethos_u55_layer(part, w.precision, hw, tensors[i].inputs, weights, output, &commands, &why))
            return fail("layer '" + l.name + "': " + why);
          npu.body = std::move(commands);
        }
        task.work = std::move(npu);
      } else {
        cyc::CimTask cim;
        std::string why;
        if (!lower_cim(part, w.precision, hw, tensors[i].inputs.front(), weights, output, resident_slots[i], mram,
                       &next_weights_id, &cim, &why))
          return fail("layer '" + l.name + "': " + why);
        task.work = std::move(cim);
      }
      layer_tasks[i].push_back(int(out.program.tasks.size()));
      out.program.tasks.push_back(std::move(task));
    }
  }
  out.ok = true;
  return out;
}

}  // namespace h4h
