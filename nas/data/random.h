#pragma once
// Portable, reproducible randomness for the data pipeline. Every draw here is defined bit for bit
// (no std::uniform_*_distribution or std::shuffle, whose outputs differ between standard libraries),
// so a seed gives the same split, epoch order and augmentation on every platform.
//
// Streams are counter-based: `mix_seed(seed, a, b)` derives an independent stream from a seed and
// coordinates (epoch, sample position), so the randomness of a sample does not depend on which
// thread prepared it or on whether the run was resumed.
#include <cmath>
#include <cstdint>
#include <vector>

namespace h4h::data {

// SplitMix64 (Steele, Lea, Flood 2014): 64-bit state, full period, passes BigCrush. Satisfies
// UniformRandomBitGenerator.
class SplitMix64 {
 public:
  using result_type = uint64_t;
  explicit SplitMix64(uint64_t seed = 0) : state_(seed) {}
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type{0}; }
  result_type operator()() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t state() const { return state_; }

 private:
  uint64_t state_;
};

// A seed for the stream at coordinates (a, b) of `seed`; distinct coordinates give unrelated streams.
inline uint64_t mix_seed(uint64_t seed, uint64_t a, uint64_t b = 0) {
  SplitMix64 g(seed ^ 0x6A09E667F3BCC909ull);
  uint64_t h = g();
  g = SplitMix64(h ^ (a * 0xD1B54A32D192ED03ull));
  h = g();
  g = SplitMix64(h ^ (b * 0x8CB92BA72F3D8DD7ull));
  return g();
}

// Uniform in [0, n) without modulo bias (rejection sampling); n > 0.
template <class G>
uint64_t uniform_below(G& g, uint64_t n) {
  const uint64_t limit = ~uint64_t{0} - (~uint64_t{0} % n);  // largest multiple of n (exclusive)
  uint64_t x;
  do x = g();
  while (x >= limit);
  return x % n;
}

// Uniform in [lo, hi] (inclusive), lo <= hi.
template <class G>
int64_t uniform_int(G& g, int64_t lo, int64_t hi) {
  return lo + static_cast<int64_t>(uniform_below(g, static_cast<uint64_t>(hi - lo) + 1));
}

// Uniform in [0, 1) with 53 random bits.
template <class G>
double uniform01(G& g) {
  return static_cast<double>(g() >> 11) * 0x1.0p-53;
}

// Uniform in [lo, hi).
template <class G>
double uniform_real(G& g, double lo, double hi) {
  return lo + (hi - lo) * uniform01(g);
}

// Fisher-Yates shuffle.
template <class T, class G>
void shuffle(std::vector<T>& v, G& g) {
  for (size_t i = v.size(); i > 1; --i) {
    size_t j = static_cast<size_t>(uniform_below(g, i));
    std::swap(v[i - 1], v[j]);
  }
}

}  // namespace h4h::data
