#pragma once
// RingBuffer<T>: a FIFO over one contiguous array that grows by doubling and never shrinks, so a
// steady-state push/pop pattern allocates nothing once the high-water mark is reached (unlike
// std::deque, which frees and reallocates blocks as it moves). T must be default-constructible and
// movable. Not thread-safe.
#include <cstddef>
#include <stdexcept>
#include <utility>
#include <vector>

namespace h4h::cyc {

template <typename T>
class RingBuffer {
 public:
  // Room for at least `capacity` entries before the first growth.
  explicit RingBuffer(size_t capacity = 8) { grow_to(capacity); }

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  size_t capacity() const { return slots_.size(); }

  T& front() { return at(0); }
  const T& front() const { return at(0); }
  T& back() { return at(size_ - 1); }
  const T& back() const { return at(size_ - 1); }
  // i-th entry from the front (0 = front).
  T& operator[](size_t i) { return slots_[(head_ + i) & mask_]; }
  const T& operator[](size_t i) const { return slots_[(head_ + i) & mask_]; }

  void push_back(T value) {
    if (size_ == slots_.size()) grow_to(2 * slots_.size());
    slots_[(head_ + size_) & mask_] = std::move(value);
    ++size_;
  }
  void pop_front() {
    if (size_ == 0) throw std::logic_error("RingBuffer: pop from an empty buffer");
    head_ = (head_ + 1) & mask_;
    --size_;
  }
  void clear() { head_ = size_ = 0; }

 private:
  T& at(size_t i) {
    if (i >= size_) throw std::logic_error("RingBuffer: access past the end");
    return (*this)[i];
  }
  const T& at(size_t i) const {
    if (i >= size_) throw std::logic_error("RingBuffer: access past the end");
    return (*this)[i];
  }
  // New capacity: the next power of two >= max(want, 1); entries keep their order.
  void grow_to(size_t want) {
    size_t cap = 1;
    while (cap < want) cap *= 2;
    if (cap <= slots_.size()) return;
    std::vector<T> next(cap);
    for (size_t i = 0; i < size_; ++i) next[i] = std::move((*this)[i]);
    slots_ = std::move(next);
    head_ = 0;
    mask_ = cap - 1;
  }

  std::vector<T> slots_;
  size_t head_ = 0, size_ = 0, mask_ = 0;
};

}  // namespace h4h::cyc
