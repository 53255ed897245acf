// MobileNetV2, width 1.0, 224 x 224 (Sandler et al., CVPR 2018), laid out and named as
// torchvision's mobilenet_v2: features.0 stem, features.1-17 inverted residuals (conv.0 expand,
// conv.1 depthwise, conv.2 project), features.18 last 1x1 conv, classifier.1. BN folded.
#include "models/zoo/builder.h"
#include "models/zoo/zoo.h"

namespace h4h {

Workload build_mobilenet_v2() {
  NetworkBuilder b("mobilenet_v2", Shape{224, 224, 3});
  const ActivationFn relu6 = ActivationFn::Relu6;
  b.conv("features.0", 32, 3, 2, relu6);

  // expand ratio t, output channels c, repeats n, first stride s
  const int setting[][4] = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2},
                            {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}};
  int index = 1;
  for (const auto& st : setting) {
    for (int i = 0; i < st[2]; ++i, ++index) {
      auto s = b.scope("features." + std::to_string(index));
      const NetworkBuilder::Tensor in = b.current();
      const int stride = i == 0 ? st[3] : 1;
      int conv = 0;
      if (st[0] != 1) b.conv("conv." + std::to_string(conv++), in.shape.c * st[0], 1, 1, relu6);
      b.depthwise("conv." + std::to_string(conv++), 3, stride, relu6);
      b.conv("conv." + std::to_string(conv++), st[1], 1);
      if (stride == 1 && in.shape.c == st[1]) b.add("add", in);
    }
  }
  b.conv("features.18", 1280, 1, 1, relu6);
  b.global_avgpool("avgpool");
  b.linear("classifier.1", 1000);
  return b.build();
}

}  // namespace h4h
