#include "sim/core/error.h"

namespace h4h {

std::string describe_location(const std::string& file, const std::string& where, const std::string& what) {
  std::string out;
  if (!file.empty()) out += file + ": ";
  if (!where.empty()) out += where + ": ";
  return out + what;
}

void throw_input_error(const std::string& file, const std::string& where, const std::string& what) {
  throw InputError(describe_location(file, where, what));
}

}  // namespace h4h
