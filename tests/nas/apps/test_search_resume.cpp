// Resuming a search from its saved state, and refusing a state that is not one or belongs to
// another search, without the binary or a trained supernet (the tiny space's fixed accuracies).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "nas/apps/search_resume.h"
#include "tests/nas/apps/error_of.h"
#include "tests/nas/search/search_fixture.h"
#include "tests/support/run.h"

namespace h4h {
namespace {

SearchRun tiny_run(uint64_t seed) { return SearchRun("nsga2", test::tiny().setup(seed, 8), test::tiny().oracles()); }

TEST(SearchResume, WithoutAStateFileTheRunStartsFresh) {
  test::TempDir dir;
  SearchRun run = tiny_run(1);
  EXPECT_FALSE(resume_search(run, search_state_path(dir.file("out"))));
  EXPECT_EQ(run.generation(), 0);
}

TEST(SearchResume, AResumedRunContinuesAsAnUninterruptedOne) {
  test::TempDir dir;
  const std::string state = dir.file("search_state.json");
  SearchRun whole = tiny_run(1);
  whole.run_generation();
  whole.run_generation();
  save_search_state(whole, state);
  whole.run_generation();

  SearchRun resumed = tiny_run(1);
  ASSERT_TRUE(resume_search(resumed, state));
  EXPECT_EQ(resumed.generation(), 2);
  resumed.run_generation();
  EXPECT_EQ(resumed.save().dump(), whole.save().dump());
}

TEST(SearchResume, AFileThatIsNoStateIsRefusedNamingTheFile) {
  test::TempDir dir;
  const std::string state = dir.file("search_state.json");
  test::write_file(state, "not json");
  SearchRun run = tiny_run(1);
  const std::string message = test::input_error_of([&] { resume_search(run, state); });
  EXPECT_NE(message.find(state + ": not a search state"), std::string::npos) << message;
  EXPECT_NE(message.find("`out_dir`"), std::string::npos) << message;  // the parameter, for a front end to name
}

TEST(SearchResume, TheStateOfAnotherSearchOrOfOtherInputsIsRefused) {
  test::TempDir dir;
  const std::string state = dir.file("search_state.json");
  SearchRun saved = tiny_run(1);
  saved.set_context({{"hw", "a.yaml"}});
  saved.run_generation();
  save_search_state(saved, state);

  SearchRun other_seed = tiny_run(2);
  other_seed.set_context({{"hw", "a.yaml"}});
  EXPECT_NE(test::input_error_of([&] { resume_search(other_seed, state); }).find("different search"), std::string::npos);
  SearchRun other_inputs = tiny_run(1);
  other_inputs.set_context({{"hw", "b.yaml"}});
  EXPECT_NE(test::input_error_of([&] { resume_search(other_inputs, state); }).find("other inputs"), std::string::npos);
}

}  // namespace
}  // namespace h4h
