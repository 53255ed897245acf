#pragma once
// The estimator's timeline: layer parts on the NPU and the CIM, in network order per unit.
// A part starts when its unit has finished its previous part and every producer layer has ended
// (a layer ends when all its parts have), so NPU and CIM parts overlap where the DAG allows.
//
// The external memory is the one resource the two units share in this model: an NPU part streams
// its weights from it, a streamed CIM part fetches the weights it programs. Such a part is a
// sequence of `external_rounds` rounds, each a flow of external_bytes / rounds bytes drawn at up
// to `external_cap` bytes/cycle (its pace alone) followed by `after_external` cycles that need no
// external memory (an NPU part: one round; a CIM part: one per programming round, its last tile's
// write and its compute). While parts on both units have flows in progress they share the
// memory's bandwidth max-min fairly (each an equal share, or its cap when less, the other taking
// the rest). A part ends at max(start + cycles, the end of its last round): without overlapping
// flows every part takes exactly its `cycles`. Times are integer cycles; flow completions are
// rounded up.
#include <cstdint>
#include <vector>

#include "sim/core/capability.h"
#include "sim/estimate/unit_cost.h"

namespace h4h {

struct TimelinePart {
  int layer = 0;
  Unit unit = Unit::Npu;
  int64_t cycles = 0;           // alone
  double external_bytes = 0;    // 0: no flow
  double external_cap = 0;      // bytes/cycle
  int64_t external_rounds = 1;
  int64_t after_external = 0;   // cycles each round needs once its flow has completed
};

// A part of `layer` on `unit` that costs `cost` alone (its flow from the cost's external reads).
TimelinePart timeline_part(int layer, Unit unit, const UnitCost& cost);

struct PartTiming {
  int64_t start = 0, end = 0;
  int64_t contention = 0;  // cycles beyond `cycles` caused by sharing the external memory
};

// `parts` in network order (a layer's parts consecutive); `producers[l]`: the layers layer l reads.
// `external_capacity`: the external memory's bytes/cycle. Returns one timing per part, or nothing
// when a part waits for a layer that never runs (a producer after its consumer in the list).
std::vector<PartTiming> schedule_parts(const std::vector<TimelinePart>& parts,
                                       const std::vector<std::vector<int>>& producers, double external_capacity);
// The same into `out` (reusing its storage); false instead of an empty result.
bool schedule_parts(const std::vector<TimelinePart>& parts, const std::vector<std::vector<int>>& producers,
                    double external_capacity, std::vector<PartTiming>& out);

}  // namespace h4h
