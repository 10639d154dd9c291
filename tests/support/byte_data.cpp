// SPDX-License-Identifier: MIT
#include "tests/support/byte_data.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

namespace pbk::test {

std::vector<std::byte> sample_bytes(std::size_t size, std::uint32_t seed) {
  static constexpr std::string_view k_text = "From: postmaster@example.org\tstatus=sent\n";
  std::mt19937 random(seed);
  std::vector<std::byte> data;
  data.reserve(size);
  while (data.size() < size) {
    const std::size_t run = std::min<std::size_t>(size - data.size(), 1 + random() % 300);
    const bool text = random() % 2 == 0;
    for (std::size_t i = 0; i < run; ++i) {
      data.push_back(text ? static_cast<std::byte>(k_text[i % k_text.size()])
                          : static_cast<std::byte>(random() & 0xFF));
    }
  }
  return data;
}

void write_in_pieces(core::io::ByteSink& sink, std::span<const std::byte> data, std::size_t piece) {
  while (!data.empty()) {
    const std::size_t n = std::min(piece, data.size());
    sink.write(data.first(n));
    data = data.subspan(n);
  }
}

std::vector<std::byte> read_file(const std::filesystem::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) {
    throw std::runtime_error("cannot read " + file.string());
  }
  const std::string text((std::istreambuf_iterator<char>(stream)),
                         std::istreambuf_iterator<char>());
  const auto bytes = as_bytes(text);
  return {bytes.begin(), bytes.end()};
}

void write_file(const std::filesystem::path& file, std::span<const std::byte> data) {
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream.write(reinterpret_cast<const char*>(data.data()),
               static_cast<std::streamsize>(data.size()));
  if (!stream.flush()) {
    throw std::runtime_error("cannot write " + file.string());
  }
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (auto& c : out) {
    c = static_cast<char>(rng());
  }
  return out;
}

} // namespace pbk::test
