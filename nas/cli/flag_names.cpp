#include "nas/cli/flag_names.h"

#include <algorithm>
#include <map>

#include "sim/core/parameter_error.h"

namespace h4h {

std::string flag_of(const std::string& parameter) {
  // Parameters whose flag is not their name.
  static const std::map<std::string, std::string> kRenamed{
      {"out_dir", "--out"},
      {"space_file", "--space"},
      {"hw_file", "--hw"},
      {"data_spec", "--data"},
      {"max_images", "--val-images"},
      {"mapping_objective", "--objective"},
      {"output", "-o"},
      {"sets", "--set"},
  };
  if (const auto it = kRenamed.find(parameter); it != kRenamed.end()) return it->second;
  std::string flag = "--" + parameter;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::string cli_message(const std::exception& error) { return reworded_message(error, flag_of); }

}  // namespace h4h
