#include <gtest/gtest.h>

#include "nas/train/metrics_log.h"
#include "nas/train/train_api.h"
#include "tests/support/run.h"

namespace h4h {

TEST(MetricsLog, ResumeKeepsOnlyTheRowsTheCheckpointReached) {
  test::TempDir dir;
  const std::string path = dir.file("metrics.csv");
  MetricsLog log(path);
  TrainProgress p;
  for (int64_t step : {10, 20, 30}) {
    p.step = step;
    p.val_top1_largest = step == 20 ? 0.5 : -1;
    log.add(p);
  }
  log.write();
  const std::string text = test::read_file(path);
  EXPECT_EQ(text.substr(0, text.find('\n')), MetricsLog::header());
  EXPECT_NE(text.find("\n20,0,1,0,0.00000,0.00000,0.00000,0.0,0.50000,,0.0\n"), std::string::npos) << text;

  MetricsLog resumed(path);
  resumed.resume(25);
  p.step = 40;
  p.val_top1_largest = -1;
  resumed.add(p);
  resumed.write();
  const std::string after = test::read_file(path);
  EXPECT_NE(after.find("\n10,"), std::string::npos);
  EXPECT_NE(after.find("\n20,"), std::string::npos);
  EXPECT_EQ(after.find("\n30,"), std::string::npos) << after;
  EXPECT_NE(after.find("\n40,"), std::string::npos);
}

TEST(MetricsLog, ResumeWithoutAFileStartsEmpty) {
  test::TempDir dir;
  MetricsLog log(dir.file("none.csv"));
  log.resume(100);
  log.write();
  EXPECT_EQ(test::read_file(dir.file("none.csv")), std::string(MetricsLog::header()) + "\n");
}

}  // namespace h4h
