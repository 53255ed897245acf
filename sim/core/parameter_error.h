#pragma once
// Bad input about one parameter of a library call, named in the library's own
// terms: the field of an options struct or an argument ("population",
// "latency_ms"), never a front end's flag. A front end re-words it in its terms
// (the CLI: "--population") from parameter(), value() and detail(). what():
// "PARAMETER: DETAIL", or "PARAMETER VALUE: DETAIL" when the offending value is
// quoted. The message of any InputError may refer to a parameter as `name` (in
// backquotes); reword_parameters() replaces such references.
#include <exception>
#include <functional>
#include <string>

#include "sim/core/error.h"

namespace h4h {

class ParameterError : public InputError {
 public:
  ParameterError(const std::string& parameter, const std::string& detail);
  ParameterError(const std::string& parameter, const std::string& value, const std::string& detail);

  const std::string& parameter() const { return parameter_; }
  const std::string& value() const { return value_; }  // "" when not quoted
  const std::string& detail() const { return detail_; }

 private:
  std::string parameter_, value_, detail_;
};

// A front end's name for a library parameter.
using ParameterNamer = std::function<std::string(const std::string& parameter)>;

// `text` with every reference `name` (backquotes around [a-z0-9_]+) replaced by
// name_of(name).
std::string reword_parameters(const std::string& text, const ParameterNamer& name_of);

// The message of `error` in a front end's terms: "NAME[ VALUE]: DETAIL" with
// NAME = name_of(the parameter) for a ParameterError, what() otherwise;
// references in it reworded as above.
std::string reworded_message(const std::exception& error, const ParameterNamer& name_of);

}  // namespace h4h
