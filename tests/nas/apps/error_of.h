#pragma once
// The error a call throws, for tests that check its message.
#include <gtest/gtest.h>

#include <string>

#include "sim/core/parameter_error.h"

namespace h4h::test {

// The message of the InputError `f` throws ("" when it throws none).
template <typename F>
std::string input_error_of(F f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The ParameterError `f` throws (a test failure when it throws none).
template <typename F>
ParameterError parameter_error_of(F f) {
  try {
    f();
  } catch (const ParameterError& e) {
    return e;
  }
  ADD_FAILURE() << "no ParameterError";
  return ParameterError("", "");
}

}  // namespace h4h::test
