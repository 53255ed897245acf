// A failing disk for end-to-end tests, loaded with LD_PRELOAD into the program under test (and
// inherited by its children). Writes to files whose path matches a pattern fail with ENOSPC once a
// byte budget is spent, as on a full disk; everything else passes through untouched.
//
// Environment (read once, at load):
//   H4H_FAULT_PATH   fnmatch(3) pattern, without FNM_PATHNAME ('*' also matches '/'), tested against
//                    the absolute path of the descriptor (/proc/self/fd/N). Unset or empty: inactive.
//   H4H_FAULT_AFTER  bytes that matching files may take in all before writes fail (default 0). The
//                    write that crosses the budget is short, the next one fails, as write(2) does.
//   H4H_FAULT_OP     "write" (default): write, pwrite, writev, pwritev fail with ENOSPC;
//                    "fsync": those succeed and fsync/fdatasync fail with EIO instead.
// Each injected failure is announced once per process on stderr as
// "h4h-fault: <errno name> on <path>", so a test can tell that the fault was reached.
// Only calls through the dynamic symbol table are seen: libc-internal writes (stdio's fwrite/fflush)
// are not; std::ofstream (libstdc++'s basic_filebuf: write and writev) and the C calls are.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void*, size_t);
typedef ssize_t (*pwrite_fn)(int, const void*, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec*, int);
typedef ssize_t (*pwritev_fn)(int, const struct iovec*, int, off_t);
typedef int (*fsync_fn)(int);

static write_fn real_write;
static pwrite_fn real_pwrite, real_pwrite64;
static writev_fn real_writev;
static pwritev_fn real_pwritev, real_pwritev64;
static fsync_fn real_fsync, real_fdatasync;

static const char* pattern;
static long long budget;       // bytes matching files may still take
static int fail_fsync;         // H4H_FAULT_OP=fsync
static int announced;

__attribute__((constructor)) static void fault_init(void) {
  real_write = (write_fn)dlsym(RTLD_NEXT, "write");
  real_pwrite = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
  real_pwrite64 = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite64");
  real_writev = (writev_fn)dlsym(RTLD_NEXT, "writev");
  real_pwritev = (pwritev_fn)dlsym(RTLD_NEXT, "pwritev");
  real_pwritev64 = (pwritev_fn)dlsym(RTLD_NEXT, "pwritev64");
  real_fsync = (fsync_fn)dlsym(RTLD_NEXT, "fsync");
  real_fdatasync = (fsync_fn)dlsym(RTLD_NEXT, "fdatasync");
  const char* p = getenv("H4H_FAULT_PATH");
  pattern = p && *p ? p : NULL;
  const char* after = getenv("H4H_FAULT_AFTER");
  budget = after ? atoll(after) : 0;
  const char* op = getenv("H4H_FAULT_OP");
  fail_fsync = op && strcmp(op, "fsync") == 0;
}

// Whether `fd` is a file the fault applies to; its path in `path`.
static int matches(int fd, char* path, size_t size) {
  if (!pattern || fd < 0) return 0;
  char link[64];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t n = readlink(link, path, size - 1);
  if (n <= 0) return 0;
  path[n] = '\0';
  return fnmatch(pattern, path, 0) == 0;
}

static void announce(const char* what, const char* path) {
  if (__atomic_exchange_n(&announced, 1, __ATOMIC_SEQ_CST)) return;
  char line[4200];
  const int n = snprintf(line, sizeof line, "h4h-fault: %s on %s\n", what, path);
  if (n > 0 && real_write) real_write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

// How many of `want` bytes a write to `fd` may write (-1: the call fails with ENOSPC).
static ssize_t allowance(int fd, size_t want) {
  char path[4096];
  if (fail_fsync || !matches(fd, path, sizeof path)) return (ssize_t)want;
  for (;;) {
    long long left = __atomic_load_n(&budget, __ATOMIC_SEQ_CST);
    if (left <= 0 && want > 0) {
      announce("ENOSPC", path);
      errno = ENOSPC;
      return -1;
    }
    const long long take = (long long)want < left ? (long long)want : left;
    if (__atomic_compare_exchange_n(&budget, &left, left - take, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
      return (ssize_t)take;
  }
}

static size_t iov_total(const struct iovec* iov, int count) {
  size_t total = 0;
  for (int i = 0; i < count; ++i) total += iov[i].iov_len;
  return total;
}

// The first `limit` bytes of `iov` as a new vector in `out` (at most `count` entries); its length.
static int iov_prefix(const struct iovec* iov, int count, size_t limit, struct iovec* out) {
  int n = 0;
  for (int i = 0; i < count && limit > 0; ++i, ++n) {
    out[n] = iov[i];
    if (out[n].iov_len > limit) out[n].iov_len = limit;
    limit -= out[n].iov_len;
  }
  return n;
}

ssize_t write(int fd, const void* buf, size_t count) {
  const ssize_t n = allowance(fd, count);
  return n < 0 ? -1 : real_write(fd, buf, (size_t)n);
}

ssize_t pwrite(int fd, const void* buf, size_t count, off_t offset) {
  const ssize_t n = allowance(fd, count);
  return n < 0 ? -1 : real_pwrite(fd, buf, (size_t)n, offset);
}

ssize_t pwrite64(int fd, const void* buf, size_t count, off_t offset) {
  const ssize_t n = allowance(fd, count);
  return n < 0 ? -1 : real_pwrite64(fd, buf, (size_t)n, offset);
}

static ssize_t vector_write(int fd, const struct iovec* iov, int count, off_t offset, pwritev_fn positioned) {
  const size_t want = iov_total(iov, count);
  const ssize_t n = allowance(fd, want);
  if (n < 0) return -1;
  if ((size_t)n == want || count <= 0 || count > 1024)
    return positioned ? positioned(fd, iov, count, offset) : real_writev(fd, iov, count);
  struct iovec prefix[1024];
  const int k = iov_prefix(iov, count, (size_t)n, prefix);
  return positioned ? positioned(fd, prefix, k, offset) : real_writev(fd, prefix, k);
}

ssize_t writev(int fd, const struct iovec* iov, int count) { return vector_write(fd, iov, count, 0, NULL); }

ssize_t pwritev(int fd, const struct iovec* iov, int count, off_t offset) {
  return vector_write(fd, iov, count, offset, real_pwritev);
}

ssize_t pwritev64(int fd, const struct iovec* iov, int count, off_t offset) {
  return vector_write(fd, iov, count, offset, real_pwritev64);
}

static int sync_call(int fd, fsync_fn real) {
  char path[4096];
  if (fail_fsync && matches(fd, path, sizeof path)) {
    announce("EIO", path);
    errno = EIO;
    return -1;
  }
  return real(fd);
}

int fsync(int fd) { return sync_call(fd, real_fsync); }

int fdatasync(int fd) { return sync_call(fd, real_fdatasync); }
