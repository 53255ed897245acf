// The configure-time check that keeps the cycle-level simulator free of cost code
// (cmake/check_simulator_independence.cmake) fails a configure step when a simulator target links
// the estimator, or a simulator file includes an estimator header, and passes otherwise. Each case
// is a throw-away CMake project using the check as the real build does.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "tests/support/build_paths.h"

namespace h4h {
namespace {

namespace fs = std::filesystem;

// Configures a project whose h4h_systemc target links `links`, with `header` (if not empty) as a
// file under sim/systemc/; true if the configure step succeeded.
bool configure(const std::string& name, const std::string& links, const std::string& header) {
  const fs::path dir = fs::temp_directory_path() / ("h4h_independence_" + name + "_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sim" / "systemc");
  std::ofstream(dir / "CMakeLists.txt") << "cmake_minimum_required(VERSION 3.20)\nproject(check NONE)\n"
                                        << "add_library(h4h_estimate INTERFACE)\nadd_library(h4h_core INTERFACE)\n"
                                        << "add_library(h4h_systemc INTERFACE)\n"
                                        << "target_link_libraries(h4h_systemc INTERFACE " << links << ")\n"
                                        << "include(" << test::source_dir() << "/cmake/check_simulator_independence.cmake)\n"
                                        << "h4h_check_simulator_independence(h4h_systemc)\n";
  if (!header.empty()) std::ofstream(dir / "sim" / "systemc" / "unit.h") << header;
  const std::string command = "cmake -S " + dir.string() + " -B " + (dir / "build").string() + " > " +
                              (dir / "log.txt").string() + " 2>&1";
  const int rc = std::system(command.c_str());
  fs::remove_all(dir);
  return rc == 0;
}

TEST(SimulatorIndependence, ConfigurePassesWhenTheSimulatorLinksOnlyTheCore) {
  EXPECT_TRUE(configure("clean", "h4h_core", "#include \"sim/core/hardware.h\"\n"));
}

TEST(SimulatorIndependence, ConfigureFailsWhenTheSimulatorLinksCostCode) {
  EXPECT_FALSE(configure("links", "h4h_core h4h_estimate", ""));
}

TEST(SimulatorIndependence, ConfigureFailsWhenASimulatorFileIncludesCostCode) {
  EXPECT_FALSE(configure("includes", "h4h_core", "#include \"sim/estimate/unit_cost.h\"\n"));
}

}  // namespace
}  // namespace h4h
