#pragma once
// The arbitration core shared by the memory targets: how many bytes per cycle of a resource (a
// port, the SRAM banks, the external memory) are already promised, cycle by cycle.
//
// Contract:
//  - A timeline holds a piecewise-constant use (bytes/cycle) over integer cycles, below `capacity`.
//  - reserve() books a transfer of `bytes` from cycle `start` on several timelines at once (an
//    initiator's port and the memory behind it): in each cycle it takes what every line still has
//    free (the minimum), up to the remaining bytes, and returns the cycle after the last one used.
//    Earlier reservations are never moved: requests are served first come, first served, a later
//    one getting the bandwidth the earlier ones left (so contention shows up as later completion).
//  - A transfer of 0 bytes ends at `start`. Everything is deterministic.
#include <cstdint>
#include <functional>
#include <map>

namespace h4h::blocksim {

class BandwidthTimeline {
 public:
  explicit BandwidthTimeline(double capacity);
  double capacity() const { return capacity_; }
  double used_at(int64_t cycle) const;
  // First cycle after `cycle` where the use changes (INT64_MAX when it never does).
  int64_t next_change(int64_t cycle) const;
  void add(int64_t from, int64_t to, double bytes_per_cycle);
  // Drops the history before `cycle`, handing each dropped segment [from, to) with its use to
  // `dropped` (may be empty) so that traces can record it.
  void forget_before(int64_t cycle, const std::function<void(int64_t, int64_t, double)>& dropped = {});
  size_t segments() const { return use_.size(); }

 private:
  double capacity_;
  std::map<int64_t, double> use_;  // use from each key until the next key
};

// Books `bytes` from `start` on lines[0..n) jointly; commit=false only computes the end.
int64_t reserve(BandwidthTimeline* const* lines, int n, int64_t start, double bytes, bool commit = true);

}  // namespace h4h::blocksim
