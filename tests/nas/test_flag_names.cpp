// Library errors name their parameters (sim/core/parameter_error.h); the CLI reports them with its
// flags (nas/cli/flag_names.h), so messages users see name what they typed.
#include <gtest/gtest.h>

#include "models/space/sampling.h"
#include "nas/cli/flag_names.h"
#include "nas/search/candidate.h"
#include "nas/search/objectives.h"
#include "sim/core/parameter_error.h"
#include "sim/map/partitioner.h"

namespace h4h {
namespace {

// The message the CLI shows for what `f` throws ("" when it throws no InputError).
template <typename F>
std::string cli_message_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return cli_message(e);
  }
  return "";
}

TEST(FlagNames, AParameterIsSetByTheFlagOfItsNameUnlessRenamed) {
  EXPECT_EQ(flag_of("population"), "--population");
  EXPECT_EQ(flag_of("latency_ms"), "--latency-ms");
  EXPECT_EQ(flag_of("out_dir"), "--out");
  EXPECT_EQ(flag_of("space_file"), "--space");
  EXPECT_EQ(flag_of("data_spec"), "--data");
  EXPECT_EQ(flag_of("max_images"), "--val-images");
}

TEST(FlagNames, AParameterErrorSpeaksOfTheParameterAndTheCliOfItsFlag) {
  const ParameterError plain("population", "expected at least 2");
  EXPECT_STREQ(plain.what(), "population: expected at least 2");
  EXPECT_EQ(cli_message(plain), "--population: expected at least 2");
  const ParameterError quoted("latency_ms", "1e-06", "infeasible on hw.yaml");
  EXPECT_STREQ(quoted.what(), "latency_ms 1e-06: infeasible on hw.yaml");
  EXPECT_EQ(cli_message(quoted), "--latency-ms 1e-06: infeasible on hw.yaml");
  const ParameterError referring("phase1_epochs", "expected at most `epochs` (4), got 5");
  EXPECT_EQ(cli_message(referring), "--phase1-epochs: expected at most --epochs (4), got 5");
}

TEST(FlagNames, ReferencesToParametersInAnyInputErrorAreReworded) {
  EXPECT_EQ(cli_message(InputError("last.ckpt: pass `resume` to continue, or choose another `out_dir`")),
            "last.ckpt: pass --resume to continue, or choose another --out");
  // Backquotes around anything but a parameter name are left alone.
  EXPECT_EQ(cli_message(InputError("a `b c` d `e")), "a `b c` d `e");
  EXPECT_EQ(cli_message(InputError("``")), "``");
  EXPECT_EQ(cli_message(std::runtime_error("plain")), "plain");
}

TEST(FlagNames, LibraryErrorsReachTheUserNamingTheFlag) {
  EXPECT_EQ(cli_message_of([] { parse_objectives("acc,speed"); }),
            "--objectives: unknown objective 'speed' (expected acc, latency, energy, macros)");
  EXPECT_EQ(cli_message_of([] { parse_block_family("vit"); }),
            "--blocks: expected hybrid, cnn or transformer, got 'vit'");
  EXPECT_EQ(cli_message_of([] { parse_gene_ranges("cim.macros=0..3"); }),
            "--cosearch cim.macros=0..3: expected a positive integer or LO..HI, got '0'");
  EXPECT_EQ(cli_message_of([] { parse_objective("fast"); }), "--objective: fast: expected latency, energy or edp");
}

}  // namespace
}  // namespace h4h
