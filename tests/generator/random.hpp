// SPDX-License-Identifier: MIT
// Deterministic pseudo-random numbers for the Postal data generator.
// The standard distributions differ between library implementations, so every value is
// derived here from xoshiro256** alone: a seed gives the same rows on every platform.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pbk::tests::generator {

// splitmix64 step: spreads a seed over 64 bits (also used to derive sub-seeds).
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// A seed for one purpose ("main", "message" + server id ...), so that adding rows to one
// table never shifts the values of another.
inline std::uint64_t
derive_seed(std::uint64_t seed, std::string_view purpose, std::uint64_t n = 0) {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : purpose) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  std::uint64_t state = seed ^ h ^ (n * 0xd1b54a32d192ed03ULL);
  return splitmix64(state);
}

class Rng {
public:
  explicit Rng(std::uint64_t seed) {
    for (auto& word : m_s) {
      word = splitmix64(seed);
    }
  }

  std::uint64_t next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
  }

  // Uniform in [0, n); n > 0. The modulo bias is irrelevant for test data.
  std::uint64_t below(std::uint64_t n) { return next() % n; }

  // Uniform in [lo, hi].
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  bool chance(double p) { return uniform() < p; }

  std::string hex(std::size_t length) {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out(length, '0');
    for (auto& c : out) {
      c = k_digits[next() & 15];
    }
    return out;
  }

  std::string alnum(std::size_t length) {
    static constexpr char k_chars[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    std::string out(length, 'a');
    for (auto& c : out) {
      c = k_chars[below(62)];
    }
    return out;
  }

  // A version-4 UUID in its usual text form.
  std::string uuid() {
    std::string h = hex(32);
    h[12] = '4';
    h[16] = "89ab"[next() & 3];
    return h.substr(0, 8) + '-' + h.substr(8, 4) + '-' + h.substr(12, 4) + '-' + h.substr(16, 4)
           + '-' + h.substr(20);
  }

  // Appends n incompressible bytes.
  void append_bytes(std::string& out, std::size_t n) {
    const std::size_t start = out.size();
    out.resize(start + n);
    char* p = out.data() + start;
    while (n >= 8) {
      const std::uint64_t v = next();
      for (int i = 0; i < 8; ++i) {
        p[i] = static_cast<char>(v >> (8 * i));
      }
      p += 8;
      n -= 8;
    }
    const std::uint64_t v = next();
    for (std::size_t i = 0; i < n; ++i) {
      p[i] = static_cast<char>(v >> (8 * i));
    }
  }

private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::uint64_t m_s[4];
};

} // namespace pbk::tests::generator
