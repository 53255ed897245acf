#include "models/torch/runtime.h"

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <ATen/Parallel.h>

namespace h4h {

int configure_torch_runtime(int threads, int blas_threads) {
  // As nas/cli/main.cpp: a training step's tensors stay on the heap, freed memory is kept for reuse.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  if (threads <= 0) {
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cpus > 0 ? int(cpus) : 1;
  }
  at::set_num_threads(threads);
  // OpenBLAS's pool (runtime.h): sized separately, looked up at run time as LibTorch may use another BLAS.
  using SetThreads = void (*)(int);
  if (auto set_blas = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads")))
    set_blas(blas_threads > 0 ? blas_threads : threads);
  return at::get_num_threads();
}

}  // namespace h4h
