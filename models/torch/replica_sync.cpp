#include "models/torch/replica_sync.h"

namespace h4h {

namespace {

void sum_in_place(torch::Tensor& t, const ReplicaSum& sum) {
  if (t.device().is_cpu() && t.is_contiguous() && t.scalar_type() == torch::kFloat) {
    sum(t);
    return;
  }
  torch::Tensor host = t.to(torch::kCPU, torch::kFloat).contiguous();
  sum(host);
  t.copy_(host);
}

struct ReplicaSumFunction : torch::autograd::Function<ReplicaSumFunction> {
  // `sum` outlives the backward pass: it is owned by the module that runs the forward.
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x, const ReplicaSum* sum) {
    ctx->saved_data["sum"] = int64_t(reinterpret_cast<intptr_t>(sum));
    torch::Tensor out = x.clone(at::MemoryFormat::Contiguous);
    sum_in_place(out, *sum);
    return out;
  }
  static torch::autograd::tensor_list backward(torch::autograd::AutogradContext* ctx,
                                               torch::autograd::tensor_list grads) {
    const auto* sum = reinterpret_cast<const ReplicaSum*>(intptr_t(ctx->saved_data["sum"].toInt()));
    torch::Tensor g = grads[0].clone(at::MemoryFormat::Contiguous);
    sum_in_place(g, *sum);
    return {g, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor replica_sum(const torch::Tensor& x, const ReplicaSum& sum) {
  return ReplicaSumFunction::apply(x, &sum);
}

torch::Tensor sync_batch_norm(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias,
                              torch::Tensor running_mean, torch::Tensor running_var, double momentum, double eps,
                              const ReplicaSum& sum) {
  const int64_t c = x.size(1);
  const double local_count = double(x.numel() / c);
  // Per-channel sums and the sample count in one reduction, then the squared deviations in another.
  torch::Tensor first = torch::cat({x.sum({0, 2, 3}), torch::full({1}, local_count, x.options())});
  first = replica_sum(first, sum);
  const torch::Tensor count = first.narrow(0, c, 1);
  const torch::Tensor mean = first.narrow(0, 0, c) / count;
  const torch::Tensor centred = x - mean.view({1, c, 1, 1});
  const torch::Tensor var = replica_sum(centred.pow(2).sum({0, 2, 3}), sum) / count;
  {
    torch::NoGradGuard no_grad;
    const double n = count.item<double>();
    running_mean.mul_(1 - momentum).add_(mean.detach(), momentum);
    running_var.mul_(1 - momentum).add_(var.detach() * (n / std::max(1.0, n - 1)), momentum);
  }
  const torch::Tensor scale = weight / torch::sqrt(var + eps);
  return centred * scale.view({1, c, 1, 1}) + bias.view({1, c, 1, 1});
}

}  // namespace h4h
