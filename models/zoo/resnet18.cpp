// ResNet-18, 224 x 224 (He et al., CVPR 2016), laid out and named as torchvision's resnet18:
// conv1 + relu, maxpool, layer1-4 of two BasicBlocks (conv1 + relu, conv2, downsample.0 1x1 conv
// on the first block of layers 2-4, the residual add and its relu), avgpool, fc. BN folded.
#include "models/zoo/builder.h"
#include "models/zoo/zoo.h"

namespace h4h {

Workload build_resnet18() {
  const ActivationFn relu = ActivationFn::Relu;
  NetworkBuilder b("resnet18", Shape{224, 224, 3});
  b.conv("conv1", 64, 7, 2, relu);
  b.maxpool("maxpool", 3, 2);
  const int widths[] = {64, 128, 256, 512};
  for (int layer = 0; layer < 4; ++layer) {
    for (int block = 0; block < 2; ++block) {
      auto s = b.scope("layer" + std::to_string(layer + 1) + "." + std::to_string(block));
      const int stride = layer > 0 && block == 0 ? 2 : 1;
      NetworkBuilder::Tensor identity = b.current();
      b.conv("conv1", widths[layer], 3, stride, relu);
      const NetworkBuilder::Tensor main = b.conv("conv2", widths[layer], 3);
      if (stride != 1 || identity.shape.c != widths[layer]) {
        b.set_current(identity);
        identity = b.conv("downsample.0", widths[layer], 1, stride);
        b.set_current(main);
      }
      b.add("add", identity);
      b.act("relu", relu);
    }
  }
  b.global_avgpool("avgpool");
  b.linear("fc", 1000);
  return b.build();
}

}  // namespace h4h
