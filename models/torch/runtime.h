#pragma once
// Process-wide LibTorch settings for anything that trains or benchmarks (DESIGN.md's notes).
// Torch-free header: a CLI main may call it without pulling in LibTorch.

namespace h4h {

// Raises glibc's mmap and trim thresholds (every large tensor would otherwise be a fresh mmap and
// page-fault on first touch: measured 4x slower training here) and sets LibTorch's intra-op threads
// and OpenBLAS's threads (when LibTorch uses OpenBLAS) to `threads` (<= 0: the number of online
// CPUs). On a machine shared with other busy processes, 1 thread can be several times faster than 2
// (OpenMP workers wait on each other when one is descheduled). Call once at start-up, before the first tensor.
// Returns the number of intra-op threads in effect.
int configure_torch_runtime(int threads = 0);

}  // namespace h4h
