#pragma once
// Small layers and commands for the Ethos-U55 datapath tests.
#include <gtest/gtest.h>

#include "sim/core/workload.h"
#include "sim/lower/ethos_u55_lowering.h"
#include "tests/support/reference_layers.h"

namespace h4h::u55test {

inline Layer conv(int64_t h, int64_t w, int64_t c, int64_t oc, int k, int stride = 1) {
  Layer l;
  l.name = "conv";
  l.op = OpKind::Conv2d;
  l.input = Shape{h, w, c};
  l.out_channels = oc;
  l.kernel_h = l.kernel_w = k;
  l.stride_h = l.stride_w = stride;
  return test::shape_inferred(l);
}

inline Layer linear(int64_t in, int64_t out) {
  Layer l;
  l.name = "fc";
  l.op = OpKind::Linear;
  l.input = Shape{1, 1, in};
  l.out_features = out;
  return test::shape_inferred(l);
}

inline U55TensorAddresses addresses(bool weights_in_sram = false, bool scale_bias_in_sram = true) {
  U55TensorAddresses a;
  a.ifm = 0;
  a.extra_ifm = {1 << 20, 3 << 20};
  a.ofm = 2 << 20;
  a.weights = 4 << 20;
  a.weights_in_sram = weights_in_sram;
  a.scale_bias = 5 << 20;
  a.scale_bias_in_sram = scale_bias_in_sram;
  return a;
}

inline cyc::U55Command only_command(const Layer& l, int macs, const U55TensorAddresses& a = addresses()) {
  const U55Lowering low = lower_ethos_u55(l, Precision{}, test::u55_npu(macs), a);
  EXPECT_TRUE(low.supported) << low.reason;
  EXPECT_EQ(low.commands.size(), 1u);
  return low.commands.empty() ? cyc::U55Command{} : low.commands[0];
}

}  // namespace h4h::u55test
