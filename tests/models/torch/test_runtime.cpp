#include "models/torch/runtime.h"

#include <dlfcn.h>
#include <gtest/gtest.h>

#include <ATen/Parallel.h>

namespace h4h {
namespace {

// OpenBLAS's pool size, or -1 when LibTorch runs on another BLAS.
int openblas_threads() {
  using GetThreads = int (*)();
  const auto get = reinterpret_cast<GetThreads>(dlsym(RTLD_DEFAULT, "openblas_get_num_threads"));
  return get ? get() : -1;
}

TEST(TorchRuntime, OpenBlasPoolIsSizedApartFromTheIntraOpThreads) {
  if (openblas_threads() < 0) GTEST_SKIP() << "LibTorch does not use OpenBLAS here";
  EXPECT_EQ(configure_torch_runtime(2), 2);
  EXPECT_EQ(at::get_num_threads(), 2);
  EXPECT_EQ(openblas_threads(), 1);  // the default: one BLAS thread
  configure_torch_runtime(2, 0);
  EXPECT_EQ(openblas_threads(), 2);  // 0: as many as the intra-op threads
  configure_torch_runtime(1, 2);
  EXPECT_EQ(at::get_num_threads(), 1);
  EXPECT_EQ(openblas_threads(), 2);
  configure_torch_runtime(1);  // the suite's set-up (torch_env.cpp)
  EXPECT_EQ(openblas_threads(), 1);
}

}  // namespace
}  // namespace h4h
