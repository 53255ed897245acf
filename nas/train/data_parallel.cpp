#include "nas/train/data_parallel.h"

#include <algorithm>

namespace h4h {

DataParallel::DataParallel(Supernet net, dist::Communicator& comm) : net_(std::move(net)), comm_(comm) {
  if (!active()) return;
  dist::Communicator* c = &comm_;
  net_->set_replica_sum([c](torch::Tensor& t) { c->sum(t.data_ptr<float>(), size_t(t.numel())); });
}

DataParallel::~DataParallel() {
  if (active()) net_->set_replica_sum({});
}

void DataParallel::average_gradients() {
  if (!active()) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> grads;
  for (torch::Tensor& p : net_->parameters())
    if (p.grad().defined()) grads.push_back(p.mutable_grad());
  if (grads.empty()) return;
  std::vector<torch::Tensor> flat;
  for (const torch::Tensor& g : grads) flat.push_back(g.reshape({-1}).to(torch::kCPU, torch::kFloat));
  torch::Tensor all = torch::cat(flat);
  comm_.sum(all.data_ptr<float>(), size_t(all.numel()));
  all.div_(double(ranks()));
  int64_t offset = 0;
  for (torch::Tensor& g : grads) {
    g.copy_(all.narrow(0, offset, g.numel()).view_as(g));
    offset += g.numel();
  }
}

}  // namespace h4h
