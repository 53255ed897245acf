#include <malloc.h>

#include "nas/cli/app.h"

int main(int argc, char** argv) {
  // Large buffers (per-layer reports, later tensors) would otherwise be a fresh mmap + page faults
  // on every allocation; see DESIGN.md ("Memory allocation is expensive on these machines").
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  return h4h::run_cli(argc, argv);
}
