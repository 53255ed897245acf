// open_scorer: the search's accuracy oracle over a trained supernet.
#include <cstdio>

#include "nas/train/checkpoint.h"
#include "nas/train/eval_session.h"
#include "nas/train/train_api.h"
#include "sim/core/parameter_error.h"

namespace h4h {

namespace {

class SupernetScorer : public SubnetScorer {
 public:
  explicit SupernetScorer(const ScorerOptions& o)
      : session_(open_eval_session(o.checkpoint, "", o.batch_size, o.bn_batches, o.seed, o.threads, o.device)) {
    if (o.split != "val" && o.split != "test") throw ParameterError("split", "expected val or test, got " + o.split);
    if (o.max_images < 0) throw ParameterError("max_images", "expected >= 0");
    split_ = o.split == "test" ? session_->data.test : session_->data.val;
    if (o.max_images > 0 && size_t(o.max_images) < split_->size()) {
      std::vector<size_t> first(size_t(o.max_images));
      for (size_t i = 0; i < first.size(); ++i) first[i] = i;
      split_ = std::make_shared<data::SubsetDataset>(split_, first, o.split + "[:" + std::to_string(o.max_images) + "]");
    }
  }

  const SearchSpace& space() const override { return session_->space; }
  int64_t split_size() const override { return int64_t(split_->size()); }

  double top1(const ArchConfig& arch) override {
    validate_arch(arch, session_->space);
    return session_->evaluator->top1(session_->net, arch, split_);
  }

  void save_subnet(const ArchConfig& arch, const std::string& path) override {
    top1(arch);  // leaves `arch` active with recalibrated statistics
    StaticSubnet subnet = session_->net->extract_active_subnet();
    write_archive_atomic(path, [&](const ArchiveWriter& writer) { torch::save(subnet, writer); });
  }

 private:
  std::unique_ptr<EvalSession> session_;
  data::DatasetPtr split_;
};

}  // namespace

std::unique_ptr<SubnetScorer> open_scorer(const ScorerOptions& options) {
  return std::make_unique<SupernetScorer>(options);
}

}  // namespace h4h
