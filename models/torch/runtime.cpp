#include "models/torch/runtime.h"

#include <dlfcn.h>
#include <malloc.h>
#include <unistd.h>

#include <ATen/Parallel.h>

namespace h4h {

int configure_torch_runtime(int threads) {
  // As nas/cli/main.cpp: a training step's tensors stay on the heap, freed memory is kept for reuse.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  if (threads <= 0) {
    const long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    threads = cpus > 0 ? int(cpus) : 1;
  }
  at::set_num_threads(threads);
  // Debian's LibTorch runs linear layers on OpenBLAS, whose pthread pool is sized separately
  // (all CPUs by default); keep it at the same count so the two pools do not oversubscribe.
  using SetThreads = void (*)(int);
  if (auto set_blas = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set_blas(threads);
  return at::get_num_threads();
}

}  // namespace h4h
