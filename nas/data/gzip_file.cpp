#include "nas/data/gzip_file.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

#include "sim/core/error.h"

namespace h4h::data {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct GzCloser {
  void operator()(gzFile_s* f) const { gzclose(f); }
};

}  // namespace

std::vector<uint8_t> read_maybe_gzip(const std::string& path) {
  errno = 0;
  std::unique_ptr<gzFile_s, GzCloser> file(gzopen(path.c_str(), "rb"));
  if (!file)
    throw_input_error(path, "", std::string("cannot open: ") + (errno ? std::strerror(errno) : "out of memory"));
  gzbuffer(file.get(), 1 << 20);

  // Read in chunks of about four times the file's size (gzip ratios of image data), 64 KiB .. 16 MiB.
  std::error_code ec;
  const uintmax_t on_disk = std::filesystem::file_size(path, ec);
  const size_t chunk = std::clamp<size_t>(ec ? 0 : static_cast<size_t>(on_disk) * 4, size_t{1} << 16, size_t{1} << 24);
  std::vector<uint8_t> out;
  for (;;) {
    size_t old = out.size();
    out.resize(old + chunk);
    int got = gzread(file.get(), out.data() + old, static_cast<unsigned>(chunk));
    int errnum = Z_OK;
    const char* msg = gzerror(file.get(), &errnum);
    if (got < 0 || (errnum != Z_OK && errnum != Z_STREAM_END)) {
      std::string what = errnum == Z_BUF_ERROR ? "truncated gzip stream (unexpected end of file)"
                         : errnum == Z_ERRNO   ? std::string("read error: ") + std::strerror(errno)
                                               : std::string("corrupt gzip stream: ") + (msg ? msg : "unknown error");
      throw_input_error(path, "", what);
    }
    out.resize(old + static_cast<size_t>(got));
    if (got == 0) break;
  }
  if (gzdirect(file.get()) && ends_with(path, ".gz"))
    throw_input_error(path, "", "not gzip data (expected the gzip magic bytes 1f 8b)");
  return out;
}

}  // namespace h4h::data
