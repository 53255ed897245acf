#include "nas/train/torch_batch.h"

namespace h4h {

torch::Tensor batch_images(const data::Batch& batch, const torch::Device& device) {
  const torch::Tensor view =
      torch::from_blob(const_cast<float*>(batch.images.data()), batch.shape(), batch.strides(), torch::kFloat);
  return view.to(device, /*non_blocking=*/false, /*copy=*/true);
}

torch::Tensor batch_labels(const data::Batch& batch, const torch::Device& device) {
  const torch::Tensor view =
      torch::from_blob(const_cast<int64_t*>(batch.labels.data()), {batch.n}, torch::kLong);
  return view.to(device, false, true);
}

torch::Tensor at_resolution(const torch::Tensor& images, int resolution) {
  if (images.size(2) == resolution && images.size(3) == resolution) return images;
  namespace F = torch::nn::functional;
  return F::interpolate(images, F::InterpolateFuncOptions()
                                    .size(std::vector<int64_t>{resolution, resolution})
                                    .mode(torch::kBilinear)
                                    .align_corners(false));
}

}  // namespace h4h
