#pragma once
// Child-process jobs spread over the ranks of a distributed job (mpirun): rank r of P runs jobs
// r, r + P, r + 2P, ... in its own pool, and every rank returns every job's result in job order, so
// that what follows is the same on every rank. With one process this is run_pool.
#include <vector>

#include "nas/dist/communicator.h"
#include "sim/core/subprocess.h"

namespace h4h {

// width <= 0: this rank's share of the machine's cores. on_done is called for this rank's jobs.
std::vector<ChildResult> run_pool_on_ranks(const std::vector<ChildJob>& jobs, int width, double timeout_seconds,
                                           const std::function<void(size_t, const ChildResult&)>& on_done,
                                           dist::Communicator& comm);

}  // namespace h4h
