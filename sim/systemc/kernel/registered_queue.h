#pragma once
// RegisteredQueue<T>: a bounded FIFO between two clocked processes, with register semantics, so the
// result of a cycle never depends on the order in which processes act within it.
//
// Contract (one cycle = every process acts once, in any order, then commit() is called once):
//  - push() in cycle t is visible to front()/pop() from cycle t + 1 (after commit()).
//  - pop() in cycle t frees its slot for push() from cycle t + 1 (after commit()).
//  - can_push() in cycle t is true iff (entries at the start of t) + (pushes so far in t) < capacity;
//    a push when !can_push() throws std::logic_error (a model bug, never a user error).
//  - capacity >= 1. Entries keep their order.
#include <cstddef>
#include <deque>
#include <stdexcept>
#include <utility>

namespace h4h::cyc {

template <typename T>
class RegisteredQueue {
 public:
  explicit RegisteredQueue(size_t capacity = 1) : capacity_(capacity < 1 ? 1 : capacity) {}

  size_t capacity() const { return capacity_; }
  bool can_push() const { return occupied_at_start_ + incoming_.size() < capacity_; }
  void push(T value) {
    if (!can_push()) throw std::logic_error("RegisteredQueue: push into a full queue");
    incoming_.push_back(std::move(value));
  }

  bool empty() const { return visible_.empty(); }
  size_t size() const { return visible_.size(); }  // entries readable this cycle
  const T& front() const { return visible_.front(); }
  T& front() { return visible_.front(); }
  T pop() {
    if (visible_.empty()) throw std::logic_error("RegisteredQueue: pop from an empty queue");
    T value = std::move(visible_.front());
    visible_.pop_front();
    return value;
  }
  // Nothing readable, nothing arriving: the queue cannot change without a push.
  bool idle() const { return visible_.empty() && incoming_.empty(); }

  // End of cycle: this cycle's pushes become readable; slots freed by pops become free.
  void commit() {
    for (T& v : incoming_) visible_.push_back(std::move(v));
    incoming_.clear();
    occupied_at_start_ = visible_.size();
  }

 private:
  size_t capacity_;
  std::deque<T> visible_;
  std::deque<T> incoming_;
  size_t occupied_at_start_ = 0;
};

}  // namespace h4h::cyc
