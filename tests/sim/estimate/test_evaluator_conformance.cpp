// The analytical estimator against the Evaluator conformance suite (tests/support/evaluator_conformance.h),
// and deterministic: the same inputs give the same report JSON.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/estimate/analytical_evaluator.h"
#include "tests/support/evaluator_conformance.h"

namespace h4h {
namespace {

TEST(AnalyticalEvaluator, ConformsToTheEvaluatorContract) {
  for (const test::ConformanceCase& c : test::conformance_cases()) {
    AnalyticalEvaluator first, second;
    const EvalResult r = first.evaluate(c.workload, c.hw, c.mapping);
    test::expect_conforming(c, r);
    if (!r.ok) continue;
    const EvalResult again = second.evaluate(c.workload, c.hw, c.mapping);
    ASSERT_TRUE(again.ok) << c.label;
    EXPECT_EQ(report_to_json(r.report, c.workload, c.hw, c.mapping).dump(),
              report_to_json(again.report, c.workload, c.hw, c.mapping).dump())
        << c.label;
  }
}

}  // namespace
}  // namespace h4h
