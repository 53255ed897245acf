#pragma once
// Resuming a search from the state it saves after each generation (OUT_DIR/search_state.json).
#include <string>

#include "nas/search/search_run.h"

namespace h4h {

// Where a search keeps its state in its output directory.
std::string search_state_path(const std::string& out_dir);

// Loads the state at `state_file` into `run` when the file exists (true then); false when there is
// none. InputError naming the file when it is not JSON or, through SearchRun::load, when it was
// written by another search or for other inputs.
bool resume_search(SearchRun& run, const std::string& state_file);

// Writes `run`'s state to `state_file` atomically.
void save_search_state(const SearchRun& run, const std::string& state_file);

}  // namespace h4h
