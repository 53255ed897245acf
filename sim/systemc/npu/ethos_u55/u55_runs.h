#pragma once
// The contiguous byte runs of a window of a feature map, as the IFM fetcher requests them: the
// whole window when it is one contiguous range, else one run per row of pixels when the window
// spans the full, contiguous channel depth, else one run per pixel (contiguous channels), else one
// run per element. Offsets are from the feature map's address.
#include <cstdint>

#include "sim/systemc/npu/ethos_u55/u55_command.h"
#include "sim/systemc/npu/ethos_u55/u55_plan.h"

namespace h4h::cyc {

struct Run {
  int64_t offset = 0, bytes = 0;
};

enum class RunMode { Element, Pixel, Row, Window };

inline RunMode run_mode(const U55FeatureMap& fm, const U55Window& w) {
  const int64_t eb = fm.element_bytes();
  if (fm.stride_c != eb) return RunMode::Element;
  if (w.c != fm.shape.c || fm.stride_x != fm.shape.c * eb) return RunMode::Pixel;
  if (w.w != fm.shape.w || fm.stride_y != fm.shape.w * fm.stride_x) return RunMode::Row;
  return RunMode::Window;
}

inline int64_t run_count(const U55FeatureMap& fm, const U55Window& w) {
  if (w.h <= 0 || w.w <= 0 || w.c <= 0) return 0;
  switch (run_mode(fm, w)) {
    case RunMode::Element: return w.h * w.w * w.c;
    case RunMode::Pixel: return w.h * w.w;
    case RunMode::Row: return w.h;
    case RunMode::Window: return 1;
  }
  return 0;
}

inline Run run_at(const U55FeatureMap& fm, const U55Window& w, int64_t i) {
  const int64_t eb = fm.element_bytes();
  const int64_t origin = w.y0 * fm.stride_y + w.x0 * fm.stride_x + w.c0 * fm.stride_c;
  switch (run_mode(fm, w)) {
    case RunMode::Element: {
      const int64_t c = i % w.c, p = i / w.c;
      return Run{origin + (p / w.w) * fm.stride_y + (p % w.w) * fm.stride_x + c * fm.stride_c, eb};
    }
    case RunMode::Pixel:
      return Run{origin + (i / w.w) * fm.stride_y + (i % w.w) * fm.stride_x, w.c * eb};
    case RunMode::Row:
      return Run{origin + i * fm.stride_y, w.w * w.c * eb};
    case RunMode::Window:
      return Run{origin, w.h * w.w * w.c * eb};
  }
  return Run{};
}

}  // namespace h4h::cyc
