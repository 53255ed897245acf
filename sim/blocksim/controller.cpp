#include "sim/blocksim/controller.h"

#include "sim/blocksim/sim_time.h"

namespace h4h::blocksim {

Controller::Controller(sc_core::sc_module_name name, const std::vector<LayerJobs>& layers,
                       const std::vector<PartJob>& parts, std::vector<PartRecord>& records,
                       std::vector<int64_t>& dependency_stalls, Trace* trace)
    : sc_core::sc_module(name),
      npu("npu"),
      cim("cim"),
      layers_(layers),
      parts_(parts),
      records_(records),
      dependency_(dependency_stalls),
      trace_(trace) {
  for (const LayerJobs& l : layers) parts_left_.push_back(int(l.parts.size()));
  SC_HAS_PROCESS(Controller);
  SC_THREAD(npu_thread);
  SC_THREAD(cim_thread);
}

void Controller::run_unit(Unit unit) {
  int64_t free = 0;  // when this unit finished its previous part
  for (size_t p = 0; p < parts_.size(); ++p) {
    const PartJob& job = parts_[p];
    if (job.unit != unit) continue;
    for (;;) {
      bool ready = true;
      for (int producer : layers_[size_t(job.layer)].producers) ready = ready && parts_left_[size_t(producer)] == 0;
      if (ready) break;
      sc_core::wait(layer_done_);
    }
    dependency_[p] = now_cycles() - free;
    PartRecord& record = records_[p];
    (unit == Unit::Npu ? npu : cim)->execute(job, record);
    free = record.end;
    record.done = true;
    if (trace_)
      trace_->spans.push_back(TraceSpan{unit_name(unit), job.name, "layer", record.start, record.end,
                                        {{"compute_cycles", double(record.compute_cycles)}}});
    if (--parts_left_[size_t(job.layer)] == 0) layer_done_.notify(sc_core::SC_ZERO_TIME);
  }
}

}  // namespace h4h::blocksim
