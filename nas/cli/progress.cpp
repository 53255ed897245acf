#include "nas/cli/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include <fmt/format.h>

namespace h4h {

ProgressBar::ProgressBar(std::string label, long total)
    : label_(std::move(label)), total_(total), tty_(::isatty(STDERR_FILENO)), start_(std::chrono::steady_clock::now()) {}

void ProgressBar::advance(const std::string& note) {
  ++done_;
  note_ = note;
  if (tty_) draw(false);
}

void ProgressBar::set(long done, const std::string& note) {
  if (first_done_ < 0) {
    first_done_ = done > 0 ? done - 1 : 0;
    start_ = std::chrono::steady_clock::now();
  }
  done_ = done;
  note_ = note;
  if (tty_) draw(false);
}

void ProgressBar::finish() { draw(true); }

void ProgressBar::draw(bool final_line) {
  if (silenced_) return;
  const int width = 30;
  const double frac = total_ > 0 ? double(done_) / double(total_) : 1.0;
  const int filled = int(frac * width);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const long counted = done_ - std::max(0L, first_done_);
  std::string eta;
  if (!final_line && counted > 0 && done_ < total_) eta = fmt::format(" ETA {:.0f}s", secs * double(total_ - done_) / double(counted));
  std::string line = fmt::format("{} [{}{}] {}/{} {:3.0f}% {:.1f}s{} {}", label_, std::string(filled, '#'),
                                 std::string(width - filled, '.'), done_, total_, 100 * frac, secs, eta, note_);
  if (tty_) std::fprintf(stderr, "\r\033[K%s%s", line.c_str(), final_line ? "\n" : "");
  else if (final_line) std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

}  // namespace h4h
