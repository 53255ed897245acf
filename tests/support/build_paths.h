#pragma once
// Absolute paths of the build under test: the source tree, its reference data, the h4h binary, mpiexec and
// the fault-injection library (support/fault_write.c). They are defined in one source file that
// CMake generates per build tree (tests/CMakeLists.txt, target h4h_test_paths) rather than as
// compile definitions, so that every other test object is the same in every clone and ccache
// shares it between clones (the CI runs in a fresh clone).
#include <string>

namespace h4h::test {

std::string source_dir();     // the repository root
std::string reference_dir();  // tests/data/reference: outside tools' oracles (its README says how they were made)
std::string h4h_binary();     // the h4h program built with the tests
std::string mpiexec();        // MPI's launcher (`mpirun`), for the data-parallel tests
std::string fault_preload();  // the LD_PRELOAD library of tests/support/fault_write.c

}  // namespace h4h::test
