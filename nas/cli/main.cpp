#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include "nas/cli/app.h"
#include "nas/cli/progress.h"
#include "nas/dist/communicator.h"

namespace {

// Under mpirun, rank 0 speaks for the job: the other ranks' standard output and progress bars go
// nowhere (their errors still reach standard error), and a rank that fails ends the whole job.
void quiet_unless_root(const h4h::dist::Communicator& comm) {
  if (comm.root()) return;
  const int null = ::open("/dev/null", O_WRONLY);
  if (null >= 0) {
    ::dup2(null, STDOUT_FILENO);
    ::close(null);
  }
  h4h::ProgressBar::silence_all();
}

}  // namespace

int main(int argc, char** argv) {
  // Large buffers (per-layer reports, later tensors) would otherwise be a fresh mmap + page faults
  // on every allocation; see docs/design.md ("Memory allocation is expensive on these machines").
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  if (!h4h::dist::launched_by_mpi()) return h4h::run_cli(argc, argv);
  h4h::dist::Communicator& comm = h4h::dist::Communicator::world();
  quiet_unless_root(comm);
  const int rc = h4h::run_cli(argc, argv);
  if (rc != 0) comm.abort_job(rc);
  return rc;
}
