// Child processes for jobs (subprocess.h). One engine serves run_in_child and run_pool: the parent
// forks up to `width` children, polls all their pipes (so a child never blocks on a full pipe),
// reaps every child it started, and kills the ones that outlive their deadline.
//
// Wire format on the pipe, written by the child after the job returns or throws:
//   1 byte kind ('R' result, 'E' exception message), 8 bytes little-endian payload length, payload.
// The child then _exit()s (0 after 'R', 3 after 'E') without running atexit handlers or flushing
// stdio buffers inherited from the parent. Anything the job prints on stdout goes to the parent's
// stderr, so the parent's stdout (a table, a JSON document) stays clean.
#include "sim/core/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>

#include <fmt/format.h>

namespace h4h {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kExitThrew = 3;
constexpr size_t kHeader = 9;

bool write_all(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

void send_message(int fd, char kind, const std::string& payload) {
  char header[kHeader];
  header[0] = kind;
  uint64_t len = payload.size();
  for (int i = 0; i < 8; ++i) header[1 + i] = static_cast<char>((len >> (8 * i)) & 0xff);
  if (!write_all(fd, header, kHeader)) return;
  write_all(fd, payload.data(), payload.size());
}

// Runs in the forked child; never returns.
[[noreturn]] void child_main(const ChildJob& job, int write_fd, const std::vector<int>& fds_to_close) {
  for (int fd : fds_to_close) ::close(fd);
  ::dup2(STDERR_FILENO, STDOUT_FILENO);
  ::signal(SIGPIPE, SIG_DFL);
  char kind = 'R';
  std::string payload;
  try {
    payload = job();
  } catch (const std::exception& e) {
    kind = 'E';
    payload = e.what();
  } catch (...) {
    kind = 'E';
    payload = "unknown exception";
  }
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  send_message(write_fd, kind, payload);
  ::close(write_fd);
  ::_exit(kind == 'R' ? 0 : kExitThrew);
}

struct Running {
  size_t job = 0;
  pid_t pid = -1;
  int fd = -1;        // read end; -1 once EOF was seen
  bool reaped = false;
  int status = 0;
  bool timed_out = false;
  Clock::time_point deadline = Clock::time_point::max();
  std::string data;
};

std::string format_seconds(double s) { return fmt::format("{:g}", s); }

// Interprets what a finished child sent and how it ended.
ChildResult finish(Running& r, double timeout_seconds) {
  ChildResult out;
  char kind = 0;
  std::string payload;
  bool complete = false;
  if (r.data.size() >= kHeader) {
    kind = r.data[0];
    uint64_t len = 0;
    for (int i = 0; i < 8; ++i) len |= uint64_t(static_cast<unsigned char>(r.data[1 + i])) << (8 * i);
    payload = r.data.substr(kHeader);
    complete = payload.size() == len;
  }
  out.output = payload;
  if (r.timed_out) {
    out.error = "timed out after " + format_seconds(timeout_seconds) + " s (killed)";
  } else if (WIFSIGNALED(r.status)) {
    const int sig = WTERMSIG(r.status);
    const char* name = ::strsignal(sig);
    out.error = fmt::format("killed by signal {} ({})", sig, name ? name : "unknown");
  } else if (WIFEXITED(r.status) && WEXITSTATUS(r.status) == kExitThrew && kind == 'E' && complete) {
    out.error = "job failed: " + payload;
    out.output.clear();
  } else if (WIFEXITED(r.status) && WEXITSTATUS(r.status) != 0) {
    out.error = fmt::format("exited with code {}", WEXITSTATUS(r.status));
  } else if (kind != 'R' || !complete) {
    out.error = "exited without returning a result";
  } else {
    out.ok = true;
  }
  return out;
}

// Kills and reaps every child still running (used when the parent itself fails mid-pool).
struct ReapGuard {
  std::vector<Running>* running;
  ~ReapGuard() {
    for (Running& r : *running) {
      if (r.fd >= 0) ::close(r.fd);
      if (!r.reaped && r.pid > 0) {
        ::kill(r.pid, SIGKILL);
        while (::waitpid(r.pid, &r.status, 0) < 0 && errno == EINTR) {
        }
      }
    }
  }
};

// Forks a child for job `index`; on failure to start returns false and fills `failure`.
bool start(const ChildJob& job, size_t index, double timeout_seconds, const std::vector<Running>& running,
           Running& out, ChildResult& failure) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    failure.error = std::string("cannot create a pipe: ") + std::strerror(errno);
    return false;
  }
  ::fcntl(fds[0], F_SETFL, ::fcntl(fds[0], F_GETFL) | O_NONBLOCK);
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);  // or the child would inherit (and might print again) buffered output
  const pid_t pid = ::fork();
  if (pid < 0) {
    failure.error = std::string("cannot fork: ") + std::strerror(errno);
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) {
    std::vector<int> to_close{fds[0]};
    for (const Running& r : running)
      if (r.fd >= 0) to_close.push_back(r.fd);
    child_main(job, fds[1], to_close);
  }
  ::close(fds[1]);
  out = Running{};
  out.job = index;
  out.pid = pid;
  out.fd = fds[0];
  if (timeout_seconds > 0)
    out.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(timeout_seconds));
  return true;
}

void try_reap(Running& r) {
  if (r.reaped) return;
  pid_t got;
  while ((got = ::waitpid(r.pid, &r.status, WNOHANG)) < 0 && errno == EINTR) {
  }
  if (got == r.pid || (got < 0 && errno == ECHILD)) r.reaped = true;
}

// Reads what is available (the read end is non-blocking), at most 1 MiB per call so that one
// chatty child cannot starve the others or the deadlines.
void drain(Running& r) {
  char buf[1 << 16];
  for (int round = 0; round < 16; ++round) {
    ssize_t n = ::read(r.fd, buf, sizeof buf);
    if (n > 0) {
      r.data.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
    ::close(r.fd);  // EOF or a read error: the child is done writing
    r.fd = -1;
    return;
  }
}

}  // namespace

std::vector<ChildResult> run_pool(const std::vector<ChildJob>& jobs, int width, double timeout_seconds,
                                  const std::function<void(size_t, const ChildResult&)>& on_done) {
  std::vector<ChildResult> results(jobs.size());
  if (width <= 0) width = static_cast<int>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
  std::vector<Running> running;
  running.reserve(static_cast<size_t>(width));
  ReapGuard guard{&running};
  size_t next = 0;

  auto report = [&](size_t index, ChildResult result) {
    results[index] = std::move(result);
    if (on_done) on_done(index, results[index]);
  };

  while (next < jobs.size() || !running.empty()) {
    while (next < jobs.size() && running.size() < static_cast<size_t>(width)) {
      Running r;
      ChildResult failure;
      const size_t index = next++;
      if (start(jobs[index], index, timeout_seconds, running, r, failure)) running.push_back(std::move(r));
      else report(index, std::move(failure));
    }
    if (running.empty()) continue;

    // Wait for output, EOF or the nearest deadline. A child that closed its pipe but has not been
    // reaped yet is polled again after a short nap.
    std::vector<pollfd> fds;
    std::vector<size_t> owner;
    Clock::time_point wake = Clock::time_point::max();
    bool waiting_exit = false;
    for (size_t i = 0; i < running.size(); ++i) {
      if (running[i].fd >= 0) {
        fds.push_back(pollfd{running[i].fd, POLLIN, 0});
        owner.push_back(i);
      } else {
        waiting_exit = true;
      }
      wake = std::min(wake, running[i].deadline);
    }
    int timeout_ms = -1;
    if (wake != Clock::time_point::max()) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(wake - Clock::now()).count() + 1;
      timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, 1 << 30));
    }
    if (waiting_exit) timeout_ms = timeout_ms < 0 ? 5 : std::min(timeout_ms, 5);
    const int n = ::poll(fds.data(), fds.size(), timeout_ms);
    if (n < 0 && errno != EINTR) throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
    if (n > 0)
      for (size_t k = 0; k < fds.size(); ++k)
        if (fds[k].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) drain(running[owner[k]]);

    const Clock::time_point now = Clock::now();
    for (size_t i = 0; i < running.size();) {
      Running& r = running[i];
      if (r.fd < 0) try_reap(r);
      if (!r.reaped && now >= r.deadline) {
        ::kill(r.pid, SIGKILL);
        while (::waitpid(r.pid, &r.status, 0) < 0 && errno == EINTR) {
        }
        r.reaped = true;
        r.timed_out = true;
        if (r.fd >= 0) {
          ::close(r.fd);
          r.fd = -1;
        }
      }
      if (r.reaped && r.fd < 0) {
        Running done = std::move(r);
        running.erase(running.begin() + static_cast<std::ptrdiff_t>(i));
        report(done.job, finish(done, timeout_seconds));
      } else {
        ++i;
      }
    }
  }
  return results;
}

ChildResult run_in_child(const ChildJob& job, double timeout_seconds) {
  return run_pool({job}, 1, timeout_seconds).front();
}

}  // namespace h4h
