#pragma once
// Small file helpers shared by every reader and writer.
#include <string>

namespace h4h {

// Reads a whole file; throws InputError "PATH: cannot read: REASON".
std::string read_text_file(const std::string& path);

// The offset of the first byte of `text` that is not part of valid UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or std::string::npos when it is all valid. Names
// read from text and binary inputs end up in JSON outputs, which must be UTF-8.
size_t invalid_utf8_offset(const std::string& text);

// Writes `contents` to `path` atomically: a temp file beside it, fsync, rename. On failure the old
// file (if any) is untouched, the temp file is removed, and std::runtime_error names the path.
void write_file_atomic(const std::string& path, const std::string& contents);

// Removes the temp files that atomic writes of `path` leave behind when their process is killed
// mid-write ("<path>.tmp.XXXXXX", six characters after ".tmp."). For a command starting over or
// resuming in an output directory it owns; nothing else is touched, errors are ignored.
void remove_stale_temp_files(const std::string& path);

}  // namespace h4h
