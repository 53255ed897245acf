#include "sim/systemc/npu/systolic/atomic_stream_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace h4h::cyc {
namespace {

constexpr size_t kBufferBytes = size_t{1} << 16;

}  // namespace

AtomicStreamFile::AtomicStreamFile(std::string path)
    : path_(std::move(path)), temp_path_(path_ + ".tmp.XXXXXX"), buffer_(kBufferBytes) {
  fd_ = ::mkstemp(temp_path_.data());
  if (fd_ < 0) {
    throw std::runtime_error(path_ + ": cannot create a temporary file: " + std::strerror(errno));
  }
}

AtomicStreamFile::~AtomicStreamFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_path_.c_str());
  }
}

void AtomicStreamFile::fail(const std::string& what, int err) {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_path_.c_str());
    fd_ = -1;
  }
  throw std::runtime_error(path_ + ": " + what + ": " + std::strerror(err));
}

void AtomicStreamFile::write(const char* data, size_t size) {
  if (fd_ < 0 || synced_) throw std::logic_error(path_ + ": write after commit or failure");
  while (size > 0) {
    if (used_ == buffer_.size()) drain();
    const size_t n = std::min(size, buffer_.size() - used_);
    std::memcpy(buffer_.data() + used_, data, n);
    used_ += n;
    data += n;
    size -= n;
  }
}

void AtomicStreamFile::drain() {
  const char* data = buffer_.data();
  size_t left = used_;
  while (left > 0) {
    const ssize_t n = ::write(fd_, data, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("write failed", errno);
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  used_ = 0;
}

void AtomicStreamFile::sync() {
  if (fd_ < 0) throw std::logic_error(path_ + ": sync after commit or failure");
  if (synced_) return;
  drain();
  if (::fsync(fd_) != 0 || ::fchmod(fd_, 0644) != 0) fail("write failed", errno);
  synced_ = true;
}

void AtomicStreamFile::commit() {
  sync();
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(temp_path_.c_str());
    throw std::runtime_error(path_ + ": write failed: " + std::strerror(err));
  }
  if (::rename(temp_path_.c_str(), path_.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp_path_.c_str());
    throw std::runtime_error(path_ + ": cannot replace the file: " + std::strerror(err));
  }
}

}  // namespace h4h::cyc
