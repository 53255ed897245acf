#include "nas/train/metrics_log.h"

#include <fstream>

#include <fmt/format.h>

#include "nas/train/train_api.h"
#include "sim/core/file_io.h"

namespace h4h {

const char* MetricsLog::header() {
  return "step,epoch,phase,lr,loss,kd_loss,train_top1,images_per_s,val_top1_largest,val_top1_smallest,elapsed_s";
}

void MetricsLog::resume(int64_t step) {
  rows_.clear();
  std::ifstream in(path_);
  std::string line;
  if (!std::getline(in, line)) return;  // no file, or empty: no rows
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    try {
      if (std::stoll(line.substr(0, line.find(','))) <= step) rows_.push_back(line);
    } catch (const std::exception&) {
      // A row we did not write (hand-edited file): dropped.
    }
  }
}

void MetricsLog::add(const TrainProgress& p) {
  const auto optional = [](double v) { return v < 0 ? std::string() : fmt::format("{:.5f}", v); };
  rows_.push_back(fmt::format("{},{},{},{:.6g},{:.5f},{:.5f},{:.5f},{:.1f},{},{},{:.1f}", p.step, p.epoch, p.phase,
                              p.lr, p.loss, p.kd_loss, p.train_top1, p.images_per_s, optional(p.val_top1_largest),
                              optional(p.val_top1_smallest), p.elapsed_s));
}

void MetricsLog::write() const {
  std::string text = std::string(header()) + "\n";
  for (const std::string& row : rows_) text += row + "\n";
  write_file_atomic(path_, text);
}

}  // namespace h4h
