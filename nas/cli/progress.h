#pragma once
// A one-line progress bar on standard error: "label [#####.....] 12/40 30% 1.2s ETA 3.0s note". Redrawn in place
// on a terminal; on a pipe or file it prints only the final line, keeping logs readable.
#include <chrono>
#include <string>

namespace h4h {

class ProgressBar {
 public:
  ProgressBar(std::string label, long total);
  void advance(const std::string& note = "");
  // Jumps to `done` (a resumed run starts part-way; the time estimate counts from the first set).
  void set(long done, const std::string& note = "");
  void finish();
  // No bar at all in this process (the ranks of a distributed job other than 0).
  static void silence_all() { silenced_ = true; }

 private:
  static inline bool silenced_ = false;
  void draw(bool final_line);
  std::string label_, note_;
  long total_, done_ = 0, first_done_ = -1;
  bool tty_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace h4h
