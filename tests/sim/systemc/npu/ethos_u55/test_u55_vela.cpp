// The Ethos-U55 datapath (sim/systemc/npu/ethos_u55) against Arm Vela 3.10's per-op NPU cycles
// (tests/data/reference/vela_u55_public.csv): every row lowered, run alone against the ideal memory
// (every request delivered the next cycle, unlimited bandwidth), cycles compared per op kind.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sim/lower/ethos_u55_lowering.h"
#include "sim/systemc/npu/ethos_u55/u55_standalone.h"
#include "tests/support/reference_layers.h"

namespace h4h {
namespace {

struct KindError {
  double sum = 0;
  int rows = 0;
  double worst = -1;
  std::string worst_row;
};

TEST(U55Vela, CyclesAndMacsMatchVelaPerOpKind) {
  const std::vector<test::CsvRow> rows = test::vela_rows();
  ASSERT_EQ(rows.size(), 147u);
  std::map<std::string, KindError> kinds;
  for (const test::CsvRow& r : rows) {
    const Layer l = test::vela_layer(r);
    const NpuSpec npu = test::u55_npu(test::vela_macs_per_cycle(r));
    const std::string id = r.str("shape_id") + " " + r.str("accel");
    U55TensorAddresses addr;
    addr.ifm = 0;
    addr.extra_ifm = {1 << 20};
    addr.ofm = 2 << 20;
    addr.weights = 0;
    addr.scale_bias = 1 << 24;
    const U55Lowering low = lower_ethos_u55(l, Precision{}, npu, addr);
    ASSERT_TRUE(low.supported) << id << ": " << low.reason;
    ASSERT_EQ(low.commands.size(), 1u) << id;
    const cyc::U55Command& c = low.commands[0];
    EXPECT_EQ(c.ofm_block.h, r.num("ofm_block_h")) << id;
    EXPECT_EQ(c.ofm_block.w, r.num("ofm_block_w")) << id;
    EXPECT_EQ(c.ofm_block.c, r.num("ofm_block_c")) << id;
    const cyc::U55Counters k = cyc::run_u55_standalone(c);
    const double vela = double(r.num("npu_cycles"));
    const double err = std::fabs(double(k.cycles()) - vela) / vela;
    if (std::getenv("U55_VELA_ROWS"))  // per-row listing for diagnosis
      std::printf("  %-16s %-26s %9lld vs %9lld  %+6.1f%%\n", r.str("op").c_str(), id.c_str(), (long long)k.cycles(),
                  (long long)r.num("npu_cycles"), 100.0 * (double(k.cycles()) - vela) / vela);
    KindError& e = kinds[r.str("op")];
    e.sum += err;
    ++e.rows;
    if (err > e.worst) {
      e.worst = err;
      e.worst_row = id + " (" + std::to_string(k.cycles()) + " vs " + r.str("npu_cycles") + ")";
    }
    if (r.str("op") == "avgpool")
      EXPECT_EQ(k.actions.npu_elementwise_ops, r.num("macs")) << id;
    else if (r.str("op") != "add" && r.str("op") != "mul")
      EXPECT_EQ(k.actions.npu_macs, r.num("macs")) << id;
    else
      EXPECT_EQ(k.actions.npu_elementwise_ops, l.output.elements()) << id;
    EXPECT_EQ(k.ofm_write_bytes, r.num("ofm_write_bytes")) << id;
  }
  for (const auto& [op, e] : kinds) {
    const double mape = 100.0 * e.sum / e.rows;
    std::printf("%-18s rows %3d  MAPE %6.2f%%  worst %6.2f%% %s\n", op.c_str(), e.rows, mape, 100.0 * e.worst,
                e.worst_row.c_str());
    // Vela adds a per-command minimum (IFM + OFM block transfer with burst penalties, output and MAC
    // work, over 4) that binds on single-block vector products and burst-inefficient poolings; it
    // is a memory-bound term the ideal memory cannot produce, so these two kinds sit a little
    // higher (every deviation above 3% there is the model finishing early, see the report).
    const double bound = (op == "linear" || op == "avgpool") ? 6.5 : 5.0;
    EXPECT_LE(mape, bound) << op;
  }
}

}  // namespace
}  // namespace h4h
