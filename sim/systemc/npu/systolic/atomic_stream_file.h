#pragma once
// A file written as a stream and published atomically: the bytes go to a temp file beside the
// target ("<path>.tmp.XXXXXX", the name sim/core/file_io.h's remove_stale_temp_files cleans up),
// which commit() fsyncs and renames onto the target. Until then the target is untouched; an
// object destroyed without commit() removes its temp file. Memory is one fixed-size buffer.
#include <cstddef>
#include <string>
#include <vector>

namespace h4h::cyc {

class AtomicStreamFile {
 public:
  // Creates the temp file; throws std::runtime_error naming `path` on failure.
  explicit AtomicStreamFile(std::string path);
  ~AtomicStreamFile();
  AtomicStreamFile(const AtomicStreamFile&) = delete;
  AtomicStreamFile& operator=(const AtomicStreamFile&) = delete;

  // Appends bytes; throws std::runtime_error naming the path when a write fails.
  void write(const char* data, size_t size);
  // Writes out the buffer and fsyncs the temp file (the slow, failure-prone part of commit).
  void sync();
  // sync(), then renames the temp file onto the path. Nothing may be written afterwards.
  void commit();

  const std::string& path() const { return path_; }

 private:
  void drain();
  [[noreturn]] void fail(const std::string& what, int err);

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  bool synced_ = false;
  std::vector<char> buffer_;
  size_t used_ = 0;
};

}  // namespace h4h::cyc
