#pragma once
// Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.cpp) and their replay driver.
//
// A harness feeds one input to a parser the way the CLI does. The parser's documented rejection,
// h4h::InputError (exit code 2 in the CLI), is an accepted outcome; anything else — a crash, a
// sanitizer report, an exception of another type escaping (std::terminate), a broken invariant
// (fuzz_check), a hang or a huge allocation — is a finding.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sim/core/error.h"

namespace h4h::fuzz {

// Aborts with `what` when `ok` is false: an invariant of an accepted input does not hold.
inline void fuzz_check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "h4h fuzz: invariant broken: %s\n", what);
  std::abort();
}

// Runs `parse`; an InputError is the parser saying no, which is fine. Returns whether it accepted.
// With H4H_FUZZ_VERBOSE set in the environment the rejection is printed (to check seeds).
template <typename F>
bool accepts(F&& parse) {
  try {
    parse();
    return true;
  } catch (const h4h::InputError& e) {
    static const bool verbose = std::getenv("H4H_FUZZ_VERBOSE") != nullptr;
    if (verbose) std::fprintf(stderr, "h4h fuzz: rejected: %s\n", e.what());
    return false;
  }
}

// The input's parts separated by `separator` (a line of its own in the text harnesses): the first
// `max_parts - 1` separators split, the last part keeps the rest.
inline std::vector<std::string> split_input(const uint8_t* data, size_t size, const std::string& separator,
                                            size_t max_parts) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  size_t start = 0;
  while (parts.size() + 1 < max_parts) {
    const size_t at = text.find(separator, start);
    if (at == std::string::npos) break;
    parts.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
  parts.push_back(text.substr(start));
  return parts;
}

// A per-process scratch file for parsers that only take a path: in /dev/shm (memory) when it
// exists, else in TMPDIR or /tmp. `name` keeps the ending the parser looks at (".gz", ".onnx").
class ScratchFile {
 public:
  explicit ScratchFile(const std::string& name) {
    const char* tmp = std::getenv("TMPDIR");
    const std::string dir = ::access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (tmp && *tmp ? tmp : "/tmp");
    path_ = dir + "/h4h-fuzz-" + std::to_string(::getpid()) + "-" + name;
  }
  ~ScratchFile() { std::remove(path_.c_str()); }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  // Replaces the file's contents with `bytes`.
  const std::string& write(const std::string& bytes) const {
    std::FILE* f = std::fopen(path_.c_str(), "wb");
    if (!f) {
      std::perror(path_.c_str());
      std::abort();
    }
    const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    if (std::fclose(f) != 0 || !ok) {
      std::perror(path_.c_str());
      std::abort();
    }
    return path_;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::string as_string(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

}  // namespace h4h::fuzz
