#include "nas/dist/communicator.h"

#include <mpi.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace h4h::dist {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

void check(int rc, const char* what) {
  if (rc != MPI_SUCCESS) throw std::runtime_error(std::string("MPI: ") + what + " failed");
}

void finalize_at_exit() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

// MPI counts are int: large buffers go in chunks.
template <typename T>
void sum_chunked(T* data, size_t count, MPI_Datatype type) {
  constexpr size_t kChunk = size_t(std::numeric_limits<int>::max() / 2);
  for (size_t done = 0; done < count; done += kChunk) {
    const int n = int(std::min(kChunk, count - done));
    check(MPI_Allreduce(MPI_IN_PLACE, data + done, n, type, MPI_SUM, MPI_COMM_WORLD), "all-reduce");
  }
}

}  // namespace

bool launched_by_mpi() {
  return env("OMPI_COMM_WORLD_SIZE") || env("PMI_SIZE") || env("PMIX_RANK");
}

int cores_per_rank(const Communicator& comm) {
  const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  return std::max(1, int(std::max(1L, cpus)) / std::max(1, comm.local_size()));
}

Communicator& Communicator::world() {
  static Communicator instance;
  return instance;
}

Communicator::Communicator() {
  if (!launched_by_mpi()) return;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    check(MPI_Init(nullptr, nullptr), "init");
    std::atexit(finalize_at_exit);
  }
  check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "rank");
  check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "size");
  MPI_Comm local;
  check(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &local), "split");
  check(MPI_Comm_size(local, &local_size_), "local size");
  MPI_Comm_free(&local);
}

void Communicator::sum(float* data, size_t count) {
  if (distributed()) sum_chunked(data, count, MPI_FLOAT);
}
void Communicator::sum(double* data, size_t count) {
  if (distributed()) sum_chunked(data, count, MPI_DOUBLE);
}
void Communicator::sum(int64_t* data, size_t count) {
  if (distributed()) sum_chunked(data, count, MPI_INT64_T);
}

std::vector<std::string> Communicator::all_gather(const std::string& mine) {
  if (!distributed()) return {mine};
  if (mine.size() > size_t(std::numeric_limits<int>::max())) throw std::runtime_error("MPI: all-gather of over 2 GB");
  const int length = int(mine.size());
  std::vector<int> lengths(static_cast<size_t>(size_)), offsets(static_cast<size_t>(size_));
  check(MPI_Allgather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, MPI_COMM_WORLD), "all-gather");
  int64_t total = 0;
  for (int r = 0; r < size_; ++r) {
    offsets[size_t(r)] = int(total);
    total += lengths[size_t(r)];
  }
  if (total > std::numeric_limits<int>::max()) throw std::runtime_error("MPI: all-gather of over 2 GB");
  std::string all(size_t(total), '\0');
  check(MPI_Allgatherv(mine.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR,
                       MPI_COMM_WORLD),
        "all-gather");
  std::vector<std::string> out;
  for (int r = 0; r < size_; ++r) out.push_back(all.substr(size_t(offsets[size_t(r)]), size_t(lengths[size_t(r)])));
  return out;
}

void Communicator::barrier() {
  if (distributed()) check(MPI_Barrier(MPI_COMM_WORLD), "barrier");
}

void Communicator::abort_job(int exit_code) {
  if (distributed()) MPI_Abort(MPI_COMM_WORLD, exit_code);
}

}  // namespace h4h::dist
