#include "nas/apps/search_resume.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "sim/core/error.h"
#include "sim/core/file_io.h"

namespace h4h {

std::string search_state_path(const std::string& out_dir) { return out_dir + "/search_state.json"; }

bool resume_search(SearchRun& run, const std::string& state_file) {
  if (!std::filesystem::exists(state_file)) return false;
  nlohmann::json state;
  try {
    state = nlohmann::json::parse(read_text_file(state_file));
  } catch (const nlohmann::json::exception& e) {
    throw InputError(state_file + ": not a search state (" + e.what() + "); remove it or use another `out_dir`");
  }
  run.load(state, state_file);
  return true;
}

void save_search_state(const SearchRun& run, const std::string& state_file) {
  write_file_atomic(state_file, run.save().dump() + "\n");
}

}  // namespace h4h
