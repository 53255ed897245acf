#include "sim/core/parameter_error.h"

namespace h4h {

namespace {

std::string message(const std::string& parameter, const std::string& value, const std::string& detail) {
  return parameter + (value.empty() ? "" : " " + value) + ": " + detail;
}

bool is_parameter_name(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

ParameterError::ParameterError(const std::string& parameter, const std::string& detail)
    : ParameterError(parameter, "", detail) {}

ParameterError::ParameterError(const std::string& parameter, const std::string& value, const std::string& detail)
    : InputError(message(parameter, value, detail)), parameter_(parameter), value_(value), detail_(detail) {}

std::string reword_parameters(const std::string& text, const ParameterNamer& name_of) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    const size_t open = text.find('`', at);
    const size_t close = open == std::string::npos ? std::string::npos : text.find('`', open + 1);
    if (close == std::string::npos) break;
    const std::string name = text.substr(open + 1, close - open - 1);
    if (!is_parameter_name(name)) {  // not a reference: keep the first
                                     // backquote, look on from the second
      out += text.substr(at, close - at);
      at = close;
      continue;
    }
    out += text.substr(at, open - at) + name_of(name);
    at = close + 1;
  }
  return out + text.substr(at);
}

std::string reworded_message(const std::exception& error, const ParameterNamer& name_of) {
  if (const auto* p = dynamic_cast<const ParameterError*>(&error))
    return message(name_of(p->parameter()), p->value(), reword_parameters(p->detail(), name_of));
  return reword_parameters(error.what(), name_of);
}

}  // namespace h4h
