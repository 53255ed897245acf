#pragma once
// Batches of the data pipeline (nas/data) as LibTorch tensors, and images at a subnet's resolution.
#include <torch/torch.h>

#include "nas/data/batch_loader.h"

namespace h4h {

// Copies the batch's images [n, c, h, w] (in the batch's memory layout) and int64 labels [n] to
// `device`; the batch's buffers may be reused afterwards.
torch::Tensor batch_images(const data::Batch& batch, const torch::Device& device);
torch::Tensor batch_labels(const data::Batch& batch, const torch::Device& device);

// `images` resized to resolution x resolution (bilinear, as OFA's elastic resolution) unless
// already that size.
torch::Tensor at_resolution(const torch::Tensor& images, int resolution);

}  // namespace h4h
