#include <gtest/gtest.h>

#include "sim/systemc/kernel/registered_queue.h"

namespace h4h::cyc {
namespace {

TEST(RegisteredQueue, PushIsVisibleOnlyAfterCommit) {
  RegisteredQueue<int> q(2);
  q.push(1);
  EXPECT_TRUE(q.empty());
  EXPECT_FALSE(q.idle());
  q.commit();
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q.front(), 1);
}

TEST(RegisteredQueue, PopFreesItsSlotOnlyNextCycle) {
  RegisteredQueue<int> q(1);
  q.push(7);
  q.commit();
  EXPECT_FALSE(q.can_push());
  EXPECT_EQ(q.pop(), 7);
  EXPECT_FALSE(q.can_push()) << "a pop must not free its slot within the same cycle";
  EXPECT_THROW(q.push(8), std::logic_error);
  q.commit();
  EXPECT_TRUE(q.can_push());
}

// The same cycle's pop and push give the same state whichever comes first.
TEST(RegisteredQueue, OrderOfActionsWithinACycleDoesNotMatter) {
  auto run = [](bool pop_first) {
    RegisteredQueue<int> q(2);
    q.push(1), q.commit();
    q.push(2), q.commit();
    if (pop_first) {
      q.pop();
      EXPECT_FALSE(q.can_push());
    } else {
      EXPECT_FALSE(q.can_push());
      q.pop();
    }
    q.commit();
    return q.size();
  };
  EXPECT_EQ(run(true), run(false));
}

}  // namespace
}  // namespace h4h::cyc
