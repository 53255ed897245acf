#pragma once
// The processes of one h4h job and the collectives that data-parallel training and the distributed
// search need (Torch-free; MPI from Debian's OpenMPI).
//
// Under mpirun (the launcher sets OMPI_COMM_WORLD_SIZE, or PMI_SIZE / PMIX_RANK for other MPIs) the
// world communicator is MPI's, initialised on the first call to world() and finalised at exit;
// otherwise it is one process whose collectives leave their data as it is.
//
// Contract (MPI's): every rank calls each collective in the same order with the same sizes. Call
// from one thread per process. A rank that fails must not leave the others waiting: the CLI calls
// abort_job() with its exit code when a distributed command fails.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace h4h::dist {

class Communicator {
 public:
  static Communicator& world();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool root() const { return rank_ == 0; }
  bool distributed() const { return size_ > 1; }
  int local_size() const { return local_size_; }  // ranks on this machine (they share its cores)

  // Element-wise sums over all ranks, in place.
  void sum(float* data, size_t count);
  void sum(double* data, size_t count);
  void sum(int64_t* data, size_t count);
  // Every rank's `mine`, in rank order.
  std::vector<std::string> all_gather(const std::string& mine);
  void barrier();
  // Ends every rank of the job with `exit_code` (MPI_Abort); returns only when not distributed.
  void abort_job(int exit_code);

  Communicator(const Communicator&) = delete;
  Communicator& operator=(const Communicator&) = delete;

 private:
  Communicator();
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

// True when this process was started by an MPI launcher (mpirun / srun).
bool launched_by_mpi();

// This rank's share of the machine's cores (at least 1): the cores divided by the ranks on it.
int cores_per_rank(const Communicator& comm);

}  // namespace h4h::dist
