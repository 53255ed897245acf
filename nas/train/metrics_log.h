#pragma once
// DIR/metrics.csv of a training run: one row per logging window and one per epoch end.
//   step,epoch,phase,lr,loss,kd_loss,train_top1,images_per_s,val_top1_largest,val_top1_smallest,elapsed_s
// (val_* are empty except on epoch-end rows). The file is rewritten atomically together with each
// checkpoint, so it never holds rows the checkpoint has not reached; a resume keeps the rows up to
// the checkpoint's step.
#include <cstdint>
#include <string>
#include <vector>

namespace h4h {

struct TrainProgress;

class MetricsLog {
 public:
  explicit MetricsLog(std::string path) : path_(std::move(path)) {}

  // Reads the existing file's rows with step <= `step` (a missing file gives none).
  void resume(int64_t step);
  void add(const TrainProgress& p);
  void write() const;  // atomically

  static const char* header();

 private:
  std::string path_;
  std::vector<std::string> rows_;
};

}  // namespace h4h
