#pragma once
// Process-wide LibTorch settings for anything that trains or benchmarks (docs/design.md's notes).
// Torch-free header: a CLI main may call it without pulling in LibTorch.

namespace h4h {

inline constexpr int kDefaultBlasThreads = 1;  // see configure_torch_runtime

// Raises glibc's mmap and trim thresholds (every large tensor would otherwise be a fresh mmap and
// page-fault on first touch: measured 4x slower training here) and sets LibTorch's intra-op threads
// to `threads` (<= 0: the number of online CPUs). On a machine shared with other busy processes, 1
// thread can be several times faster than 2 (OpenMP workers wait on each other when one is
// descheduled).
// Debian's LibTorch runs linear layers and matmuls on OpenBLAS, whose pthread pool is separate from
// LibTorch's OpenMP pool: sized `blas_threads` (<= 0: as `threads`). The default,
// kDefaultBlasThreads = 1, keeps the two pools off each other's cores, where the OpenMP workers
// still spin after the last parallel op.
// Measured on the quick preset (2 cores, `h4h train` 40 steps, same run): 1.5-1.7x the images/s
// of an OpenBLAS pool as large as `threads`. A larger pool pays off only when large GEMMs dominate.
// Call once at start-up, before the first tensor. Returns the number of intra-op threads in effect.
int configure_torch_runtime(int threads = 0, int blas_threads = kDefaultBlasThreads);

}  // namespace h4h
