#include <gtest/gtest.h>

#include "nas/train/lr_schedule.h"

namespace h4h {

TEST(LrSchedule, WarmsUpLinearlyThenDecaysByCosineToZero) {
  const LrSchedule s{0.1, 4, 14};
  EXPECT_DOUBLE_EQ(s.at(0), 0.025);
  EXPECT_DOUBLE_EQ(s.at(1), 0.05);
  EXPECT_DOUBLE_EQ(s.at(3), 0.1);  // the end of the warm-up is the peak
  EXPECT_DOUBLE_EQ(s.at(4), 0.1);  // the cosine starts at the peak
  EXPECT_NEAR(s.at(9), 0.05, 1e-12);  // half-way through the decay
  EXPECT_GT(s.at(13), 0);
  EXPECT_LT(s.at(13), 0.01);
  EXPECT_EQ(s.at(14), 0);  // past the end
  for (int64_t i = 4; i < 13; ++i) EXPECT_GE(s.at(i), s.at(i + 1)) << i;
}

TEST(LrSchedule, WithoutWarmUpAndWithWarmUpLongerThanTheRun) {
  EXPECT_DOUBLE_EQ((LrSchedule{1.0, 0, 10}.at(0)), 1.0);
  const LrSchedule all_warmup{1.0, 20, 10};
  EXPECT_DOUBLE_EQ(all_warmup.at(9), 1.0);  // the warm-up is cut to the run: its last step reaches the peak
  EXPECT_DOUBLE_EQ(all_warmup.at(4), 0.5);
}

}  // namespace h4h
