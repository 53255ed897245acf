// MobileNetV3-Large, 224 x 224 (Howard et al., ICCV 2019), laid out and named as torchvision's
// mobilenet_v3_large: features.0 stem (hswish), features.1-15 inverted residuals (block.N for
// the parts present: expand, depthwise, squeeze-excitation [avgpool, fc1 + relu, fc2 + hsigmoid,
// scale], project), features.16 last 1x1 conv, classifier.0 (hswish), classifier.3. BN folded.
#include "models/zoo/builder.h"
#include "models/zoo/zoo.h"

namespace h4h {

namespace {

struct Bneck {
  int kernel, expanded, out;
  bool se;
  ActivationFn act;
  int stride;
};

}  // namespace

Workload build_mobilenet_v3_large() {
  const ActivationFn RE = ActivationFn::Relu, HS = ActivationFn::HSwish;
  const Bneck config[] = {
      {3, 16, 16, false, RE, 1},   {3, 64, 24, false, RE, 2},   {3, 72, 24, false, RE, 1},
      {5, 72, 40, true, RE, 2},    {5, 120, 40, true, RE, 1},   {5, 120, 40, true, RE, 1},
      {3, 240, 80, false, HS, 2},  {3, 200, 80, false, HS, 1},  {3, 184, 80, false, HS, 1},
      {3, 184, 80, false, HS, 1},  {3, 480, 112, true, HS, 1},  {3, 672, 112, true, HS, 1},
      {5, 672, 160, true, HS, 2},  {5, 960, 160, true, HS, 1},  {5, 960, 160, true, HS, 1},
  };

  NetworkBuilder b("mobilenet_v3_large", Shape{224, 224, 3});
  b.conv("features.0", 16, 3, 2, HS);
  int index = 1;
  for (const Bneck& c : config) {
    auto s = b.scope("features." + std::to_string(index++));
    const NetworkBuilder::Tensor in = b.current();
    int part = 0;  // torchvision numbers the block's present parts consecutively
    auto next = [&part] { return "block." + std::to_string(part++); };
    if (c.expanded != in.shape.c) b.conv(next(), c.expanded, 1, 1, c.act);
    const NetworkBuilder::Tensor x = b.depthwise(next(), c.kernel, c.stride, c.act);
    if (c.se) {
      auto se = b.scope(next());
      b.global_avgpool("avgpool");
      b.conv("fc1", make_divisible(c.expanded / 4, 8), 1, 1, ActivationFn::Relu);
      const NetworkBuilder::Tensor gate = b.conv("fc2", c.expanded, 1, 1, ActivationFn::HSigmoid);
      b.set_current(x);
      b.mul("scale", gate);  // x [H, W, C] * gate [1, 1, C]
    }
    b.conv(next(), c.out, 1);
    if (c.stride == 1 && in.shape.c == c.out) b.add("add", in);
  }
  b.conv("features.16", 960, 1, 1, HS);
  b.global_avgpool("avgpool");
  b.linear("classifier.0", 1280, HS);
  b.linear("classifier.3", 1000);
  return b.build();
}

}  // namespace h4h
