// Crashing and hanging worker processes for end-to-end tests, in the same LD_PRELOAD library as
// fault_write.c. Children are numbered 1, 2, ... in the order the preloaded process forks them
// (fork(2) and its atfork handlers; posix_spawn, system and popen do not count). h4h's worker pools
// (sim/core/subprocess.h) fork one child per job in job order, so child k runs job k - 1.
//
// Environment (read once, at load; each a comma-separated list of child numbers):
//   H4H_FAULT_CRASH  these children die of SIGSEGV as soon as they start (no core file).
//   H4H_FAULT_HANG   these children sleep until killed (a worker that never answers).
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static long forks;  // children forked so far by this process

// Whether child `n` is in the comma-separated list `list`.
static int listed(const char* list, long n) {
  if (!list) return 0;
  for (const char* p = list; *p;) {
    char* end = NULL;
    const long k = strtol(p, &end, 10);
    if (end == p) return 0;
    if (k == n) return 1;
    p = *end == ',' ? end + 1 : end;
    if (*end != ',' && *end != '\0') return 0;
  }
  return 0;
}

static void count_fork(void) { __atomic_add_fetch(&forks, 1, __ATOMIC_SEQ_CST); }

static void in_child(void) {
  const long n = __atomic_load_n(&forks, __ATOMIC_SEQ_CST);
  if (listed(getenv("H4H_FAULT_CRASH"), n)) {
    const struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(SIGSEGV, SIG_DFL);
    raise(SIGSEGV);
  }
  if (listed(getenv("H4H_FAULT_HANG"), n))
    for (;;) pause();
}

__attribute__((constructor)) static void fault_child_init(void) {
  if (getenv("H4H_FAULT_CRASH") || getenv("H4H_FAULT_HANG")) pthread_atfork(count_fork, NULL, in_child);
}
