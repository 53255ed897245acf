#pragma once
// Fault injection for end-to-end tests: the LD_PRELOAD library of fault_write.c (failing writes)
// and fault_child.c (crashing and hanging workers) in the environment of the programs a test
// starts, and SIGKILL at chosen moments of a run.
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "tests/support/run.h"
#include "tests/support/build_paths.h"

namespace h4h::test {

// While it lives, programs started by run_command / spawn_quiet run with the fault library
// preloaded and `vars` (H4H_FAULT_PATH, H4H_FAULT_AFTER, H4H_FAULT_OP, H4H_FAULT_CRASH,
// H4H_FAULT_HANG; see the two .c files) set. ASan, when the program has it, is told not to insist
// on coming first in the library list.
class FaultEnv {
 public:
  explicit FaultEnv(const std::vector<std::pair<std::string, std::string>>& vars) {
    set("LD_PRELOAD", test::fault_preload());
    const char* asan = std::getenv("ASAN_OPTIONS");
    set("ASAN_OPTIONS", std::string(asan ? asan : "") + (asan && *asan ? ":" : "") + "verify_asan_link_order=0");
    for (const auto& [name, value] : vars) set(name, value);
  }
  ~FaultEnv() {
    for (const auto& [name, value] : saved_)
      if (value) ::setenv(name.c_str(), value->c_str(), 1);
      else ::unsetenv(name.c_str());
  }
  FaultEnv(const FaultEnv&) = delete;
  FaultEnv& operator=(const FaultEnv&) = delete;

 private:
  void set(const std::string& name, const std::string& value) {
    if (!saved_.count(name)) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  std::map<std::string, std::optional<std::string>> saved_;
};

// Writes to files matching `pattern` (fnmatch, '*' crosses '/') fail with ENOSPC once `after`
// bytes have gone to them.
inline std::vector<std::pair<std::string, std::string>> full_disk(const std::string& pattern, long long after = 0) {
  return {{"H4H_FAULT_PATH", pattern}, {"H4H_FAULT_AFTER", std::to_string(after)}};
}

// Names in `dir` that look like an unfinished atomic write ("*.tmp*").
inline std::vector<std::string> temp_files_in(const std::string& dir) {
  std::vector<std::string> found;
  for (const std::string& name : TempDir::entries_of(dir))
    if (name.find(".tmp") != std::string::npos) found.push_back(name);
  return found;
}

// Starts argv (output discarded), waits until `ready()` holds (polled every 2 ms; empty: at once),
// then `delay_s` more, and sends SIGKILL. True when the kill ended the program; false when it had
// exited by itself first (or `ready` did not hold within `timeout_s`, then it is killed anyway).
inline bool run_and_kill(const std::vector<std::string>& argv, const std::function<bool()>& ready, double delay_s,
                         double timeout_s = 120) {
  const pid_t pid = spawn_quiet(argv);
  const auto start = std::chrono::steady_clock::now();
  const auto since_start = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  int status = 0;
  bool exited = false;
  const auto alive = [&] {
    if (!exited && ::waitpid(pid, &status, WNOHANG) == pid) exited = true;
    return !exited;
  };
  while (alive() && ready && !ready() && since_start() < timeout_s) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const double kill_at = since_start() + delay_s;
  while (alive() && since_start() < kill_at) std::this_thread::sleep_for(std::chrono::microseconds(500));
  if (exited) return false;
  ::kill(pid, SIGKILL);
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
}

}  // namespace h4h::test
