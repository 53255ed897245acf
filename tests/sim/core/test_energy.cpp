// Energy = action counts x the energy table, in one place: each action feeds its own component at
// its table price, components sum to the total, and += adds every field.
#include <gtest/gtest.h>

#include "sim/core/energy.h"

namespace h4h {
namespace {

TEST(Energy, EachActionFeedsItsComponentAtItsTablePrice) {
  EnergyTable table;
  table.logic_scale = 0.5;
  for (const ActionKind& k : kActionKinds) {
    ActionCounts counts;
    counts.*k.count = 1000;
    const EnergyBreakdown e = dynamic_energy(counts, table);
    EXPECT_GT(k.pj_per_action(table), 0) << k.name;
    EXPECT_DOUBLE_EQ(e.*k.component, 1000 * k.pj_per_action(table)) << k.name;
    EXPECT_DOUBLE_EQ(e.total_pj(), 1000 * k.pj_per_action(table)) << k.name;  // nothing else moved
  }
  EXPECT_DOUBLE_EQ(kActionKinds[0].pj_per_action(table), table.npu_mac_pj_45nm * 0.5);  // logic scaled
}

TEST(Energy, SumsAddEveryField) {
  ActionCounts a, b;
  EnergyBreakdown x, y;
  int64_t n = 1;
  for (const ActionKind& k : kActionKinds) a.*k.count = n, b.*k.count = 10 * n++;
  for (const EnergyComponent& k : kEnergyComponents) x.*k.pj = double(n), y.*k.pj = 0.5 * double(n++);
  a += b;
  x += y;
  n = 1;
  for (const ActionKind& k : kActionKinds) EXPECT_EQ(a.*k.count, 11 * n++) << k.name;
  double total = 0;
  for (const EnergyComponent& k : kEnergyComponents) {
    EXPECT_DOUBLE_EQ(x.*k.pj, 1.5 * double(n++)) << k.name;
    total += x.*k.pj;
  }
  EXPECT_DOUBLE_EQ(x.total_pj(), total);
}

}  // namespace
}  // namespace h4h
