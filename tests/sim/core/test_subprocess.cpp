// Child processes: results travel back whole (large outputs too), failures come back as values with
// the reason (exception, signal, exit code, timeout), and a pool keeps job order and its width.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

#include "sim/core/subprocess.h"

namespace h4h {
namespace {

// CLOCK_MONOTONIC is shared by all processes, so children's timestamps are comparable.
int64_t monotonic_us() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

TEST(Subprocess, ReturnsTheJobsText) {
  ChildResult r = run_in_child([] { return std::string("hello from ") + std::to_string(::getpid()); });
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output.rfind("hello from ", 0), 0u);
  EXPECT_NE(r.output, "hello from " + std::to_string(::getpid()));  // ran in another process
  EXPECT_TRUE(r.error.empty());
}

TEST(Subprocess, EmptyOutputIsStillASuccess) {
  ChildResult r = run_in_child([] { return std::string(); });
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, "");
}

TEST(Subprocess, TenMegabytesRoundTripWithoutDeadlock) {
  const size_t size = 10u << 20;
  ChildResult r = run_in_child(
      [size] {
        std::string s(size, '\0');
        for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + (i * 7919) % 26);
        return s;
      },
      60);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.output.size(), size);
  for (size_t i = 0; i < size; i += 4099) ASSERT_EQ(r.output[i], static_cast<char>('a' + (i * 7919) % 26)) << i;
}

TEST(Subprocess, BinaryBytesSurvive) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  ChildResult r = run_in_child([bytes] { return bytes + bytes; });
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.output, bytes + bytes);
}

TEST(Subprocess, AThrowingJobReportsItsMessage) {
  ChildResult r = run_in_child([]() -> std::string { throw std::runtime_error("weights do not fit"); });
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("weights do not fit"), std::string::npos) << r.error;
}

TEST(Subprocess, AnAbortingJobReportsTheSignal) {
  ChildResult r = run_in_child([]() -> std::string {
    std::abort();
  });
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("signal " + std::to_string(SIGABRT)), std::string::npos) << r.error;
}

TEST(Subprocess, AJobThatExitsReportsTheExitCode) {
  ChildResult r = run_in_child([]() -> std::string { ::_exit(7); });
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("code 7"), std::string::npos) << r.error;
  // exit(0) before returning is not a result either.
  ChildResult quiet = run_in_child([]() -> std::string { ::_exit(0); });
  EXPECT_FALSE(quiet.ok);
  EXPECT_NE(quiet.error.find("without returning"), std::string::npos) << quiet.error;
}

TEST(Subprocess, ASlowJobIsKilledAtTheTimeoutAndTheOthersComplete) {
  std::vector<ChildJob> jobs;
  jobs.push_back([] { return std::string("first"); });
  jobs.push_back([]() -> std::string {
    ::sleep(30);
    return "never";
  });
  jobs.push_back([] { return std::string("third"); });
  const int64_t t0 = monotonic_us();
  std::vector<ChildResult> r = run_pool(jobs, 3, 0.5);
  const double elapsed_s = (monotonic_us() - t0) / 1e6;
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].ok && r[0].output == "first") << r[0].error;
  EXPECT_FALSE(r[1].ok);
  EXPECT_NE(r[1].error.find("timed out after 0.5 s"), std::string::npos) << r[1].error;
  EXPECT_TRUE(r[2].ok && r[2].output == "third") << r[2].error;
  EXPECT_LT(elapsed_s, 10.0);
  EXPECT_GE(elapsed_s, 0.45);
}

TEST(Subprocess, PoolReturnsResultsInJobOrderAndRespectsItsWidth) {
  // Each job sleeps and reports its start and end time; later jobs are shorter, so they would
  // finish first if the pool ran everything at once.
  std::vector<ChildJob> jobs;
  for (int i = 0; i < 8; ++i)
    jobs.push_back([i] {
      const int64_t start = monotonic_us();
      ::usleep(static_cast<useconds_t>(150000 - 10000 * i));
      return std::to_string(i) + " " + std::to_string(start) + " " + std::to_string(monotonic_us());
    });
  std::vector<size_t> done_order;
  std::vector<ChildResult> r = run_pool(jobs, 2, 30, [&](size_t i, const ChildResult& res) {
    EXPECT_TRUE(res.ok) << res.error;
    done_order.push_back(i);
  });
  ASSERT_EQ(r.size(), 8u);
  ASSERT_EQ(done_order.size(), 8u);
  std::vector<std::pair<int64_t, int>> edges;  // (time, +1 start / -1 end)
  for (int i = 0; i < 8; ++i) {
    ASSERT_TRUE(r[i].ok) << r[i].error;
    std::istringstream in(r[i].output);
    int index = -1;
    int64_t start = 0, end = 0;
    in >> index >> start >> end;
    EXPECT_EQ(index, i);
    edges.push_back({start, +1});
    edges.push_back({end, -1});
  }
  std::sort(edges.begin(), edges.end());  // an end and a start at the same time: the end first
  int running = 0, peak = 0;
  for (const auto& e : edges) peak = std::max(peak, running += e.second);
  EXPECT_LE(peak, 2);
  EXPECT_EQ(peak, 2);  // and it did run two at once
}

TEST(Subprocess, PoolWidthZeroMeansAllCoresAndEmptyPoolIsFine) {
  EXPECT_TRUE(run_pool({}, 0).empty());
  std::vector<ChildJob> jobs(5, [] { return std::string("x"); });
  for (const ChildResult& r : run_pool(jobs, 0)) EXPECT_TRUE(r.ok && r.output == "x") << r.error;
}

TEST(Subprocess, ChildrenAreReaped) {
  for (int i = 0; i < 3; ++i) run_in_child([] { return std::string("z"); });
  run_in_child([]() -> std::string { std::abort(); });
  run_in_child([]() -> std::string { ::sleep(5); return ""; }, 0.1);
  // No child is left over (reaped, not a zombie): waitpid finds none.
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(Subprocess, ChildStdoutGoesToStderrAndParentBuffersAreNotDuplicated) {
  // stdout and stderr of this process are pipes for the duration of the test. The parent's pending
  // stdio buffer is flushed before fork (so the child does not print it again), and what the job
  // prints on stdout lands on stderr (so the parent's stdout stays a clean document).
  int out[2], err[2];
  ASSERT_EQ(::pipe(out), 0);
  ASSERT_EQ(::pipe(err), 0);
  std::fflush(stdout);
  std::fflush(stderr);
  const int saved_out = ::dup(STDOUT_FILENO), saved_err = ::dup(STDERR_FILENO);
  ::dup2(out[1], STDOUT_FILENO);
  ::dup2(err[1], STDERR_FILENO);
  std::printf("pending");
  ChildResult r = run_in_child([] {
    std::printf("from child");
    return std::string("ok");
  });
  std::fflush(stdout);
  std::fflush(stderr);
  ::dup2(saved_out, STDOUT_FILENO);
  ::dup2(saved_err, STDERR_FILENO);
  ::close(saved_out);
  ::close(saved_err);
  ::close(out[1]);
  ::close(err[1]);
  auto slurp = [](int fd) {
    std::string seen;
    char buf[256];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) seen.append(buf, static_cast<size_t>(n));
    ::close(fd);
    return seen;
  };
  const std::string seen_out = slurp(out[0]), seen_err = slurp(err[0]);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(seen_out, "pending");
  EXPECT_EQ(seen_err, "from child");
}

}  // namespace
}  // namespace h4h
