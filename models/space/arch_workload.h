#pragma once
// ArchConfig -> Workload: the layers the subnet runs, for the estimator and the simulator.
// The block definitions here are the contract the LibTorch supernet implements:
//  MBConv(k, e, se, stride): [1x1 expand to make_divisible(in * e) + act, omitted for e = 1],
//    kxk depthwise (stride) + act, [SE: global pool, 1x1 to make_divisible(mid / 4) + relu,
//    1x1 to mid + hsigmoid, multiply], 1x1 project (no act), identity residual when stride 1
//    and the width is unchanged.
//  Transformer(heads h, head_dim d, mlp_ratio r) on the H x W grid as N = H*W tokens of width C:
//    layernorm, qkv linear C -> 3*h*d, per-head Q.K^T (matmul, batch h), softmax, A.V (matmul),
//    projection h*d -> C, residual add; layernorm, linear C -> r*C + act, linear r*C -> C,
//    residual add.
//  Head: 1x1 conv to head.conv + act, global average pool, linear to head.fc + act, classifier.
#include "models/space/arch_config.h"
#include "sim/core/workload.h"

namespace h4h {

Workload arch_to_workload(const ArchConfig& arch, const SearchSpace& space, const std::string& name = "");

}  // namespace h4h
