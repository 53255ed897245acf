#include "sim/core/capability.h"

#include <array>

namespace h4h {

namespace {

struct Row {
  OpKind op;
  bool npu, cim;
};

// NPU: everything (matmul as a 1x1 conv with the second operand streamed as weights; softmax,
// layernorm and LUT activations as output-unit passes; data movement as pass-through).
// CIM: only ops with stationary weights.
constexpr std::array<Row, kOpKindCount> kTable = {{
    {OpKind::Conv2d, true, true},
    {OpKind::DepthwiseConv2d, true, true},
    {OpKind::Linear, true, true},
    {OpKind::Matmul, true, false},
    {OpKind::Add, true, false},
    {OpKind::Mul, true, false},
    {OpKind::Softmax, true, false},
    {OpKind::LayerNorm, true, false},
    {OpKind::Activation, true, false},
    {OpKind::AvgPool, true, false},
    {OpKind::MaxPool, true, false},
    {OpKind::GlobalAvgPool, true, false},
    {OpKind::Reshape, true, false},
    {OpKind::Transpose, true, false},
    {OpKind::Concat, true, false},
}};

constexpr bool in_op_order() {
  for (size_t i = 0; i < kTable.size(); ++i)
    if (static_cast<size_t>(kTable[i].op) != i) return false;
  return true;
}
static_assert(in_op_order(), "kTable must list the ops in OpKind order");

const Row& row(OpKind op) { return kTable[static_cast<size_t>(op)]; }

}  // namespace

const char* unit_name(Unit unit) { return unit == Unit::Npu ? "npu" : "cim"; }

bool unit_supports(Unit unit, OpKind op) { return unit == Unit::Npu ? row(op).npu : row(op).cim; }

std::string unsupported_reason(Unit unit, OpKind op) {
  if (unit_supports(unit, op)) return "";
  if (unit == Unit::Cim && op == OpKind::Matmul)
    return "the weight-stationary CIM cannot run an activation x activation matmul";
  return std::string(unit_name(unit)) + " cannot run " + op_name(op) + " (no stationary weights)";
}

}  // namespace h4h
