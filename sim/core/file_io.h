#pragma once
// Small file helpers shared by every reader and writer.
#include <string>

namespace h4h {

// Reads a whole file; throws InputError "PATH: cannot read: REASON".
std::string read_text_file(const std::string& path);

// Writes `contents` to `path` atomically: a temp file beside it, fsync, rename. On failure the old
// file (if any) is untouched, the temp file is removed, and std::runtime_error names the path.
void write_file_atomic(const std::string& path, const std::string& contents);

}  // namespace h4h
