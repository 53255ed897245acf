#pragma once
// Errors that reach the user. InputError means "the input is wrong" and maps to exit code 2;
// its message always names the file, the key or layer, and what was expected.
#include <stdexcept>
#include <string>

namespace h4h {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// "FILE: WHERE: WHAT" with empty parts dropped.
std::string describe_location(const std::string& file, const std::string& where, const std::string& what);

[[noreturn]] void throw_input_error(const std::string& file, const std::string& where, const std::string& what);

}  // namespace h4h
