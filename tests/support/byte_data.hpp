// SPDX-License-Identifier: MIT
// Test data and the odd-sized write pattern every sink is round-tripped with (pgBackRest's
// compressTest.c idea: bugs hide at buffer edges, so feed 1, 7, 4 KiB and 1 MiB at a time).
#pragma once

#include "core/io/byte_sink.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pbk::test {

inline constexpr std::array<std::size_t, 4> k_write_sizes{1, 7, 4096, std::size_t{1} << 20};

// Deterministic bytes mixing text-like runs (compressible, with LFs) and random runs.
[[nodiscard]] std::vector<std::byte> sample_bytes(std::size_t size, std::uint32_t seed = 1);

// `size` uniformly random bytes (incompressible; every byte value), as a string of bytes.
[[nodiscard]] std::string random_bytes(std::size_t size, unsigned seed);

// Writes `data` into `sink` in pieces of at most `piece` bytes (does not call finish()).
void write_in_pieces(core::io::ByteSink& sink, std::span<const std::byte> data, std::size_t piece);

[[nodiscard]] inline std::span<const std::byte> as_bytes(std::string_view text) {
  return std::as_bytes(std::span(text.data(), text.size()));
}

[[nodiscard]] inline std::string as_string(std::span<const std::byte> data) {
  return {reinterpret_cast<const char*>(data.data()), data.size()};
}

[[nodiscard]] std::vector<std::byte> read_file(const std::filesystem::path& file);
void write_file(const std::filesystem::path& file, std::span<const std::byte> data);

} // namespace pbk::test
