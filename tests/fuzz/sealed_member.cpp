// SPDX-License-Identifier: MIT
// libFuzzer target: a sealed member's stored bytes opened both ways a restore and a verify
// open them (OpenSource pulls, OpenSink is pushed in pieces of a size the first input byte
// picks). Both must accept and refuse the same inputs with the same plain bytes, and refuse
// only with a core::Error.
#include "core/crypto/open_sink.hpp"
#include "core/crypto/open_source.hpp"
#include "core/error.hpp"
#include "core/io/memory_sink.hpp"
#include "core/io/span_source.hpp"
#include "tests/fuzz/fuzz_seal_key.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace {

using Bytes = std::vector<std::byte>;

std::optional<Bytes> open_pulled(std::span<const std::byte> sealed) {
  pbk::core::io::SpanSource stored(sealed);
  pbk::core::crypto::OpenSource source(
      stored, pbk::fuzz::seal_key(), std::string(pbk::fuzz::k_sealed_path), "fuzz");
  Bytes plain;
  try {
    std::array<std::byte, 4096> buffer{};
    while (const auto n = source.read(buffer)) {
      plain.insert(plain.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(n));
    }
  } catch (const pbk::core::Error&) {
    return std::nullopt;
  }
  return plain;
}

std::optional<Bytes> open_pushed(std::span<const std::byte> sealed, std::size_t piece) {
  pbk::core::io::MemorySink plain;
  pbk::core::crypto::OpenSink sink(
      plain, pbk::fuzz::seal_key(), std::string(pbk::fuzz::k_sealed_path), "fuzz");
  try {
    while (!sealed.empty()) {
      const auto n = std::min(piece, sealed.size());
      sink.write(sealed.first(n));
      sealed = sealed.subspan(n);
    }
    sink.finish();
  } catch (const pbk::core::Error&) {
    return std::nullopt;
  }
  const auto data = plain.data();
  return Bytes(data.begin(), data.end());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t piece = (std::size_t{data[0]} + 1) * 97;
  const auto sealed = std::as_bytes(std::span(data + 1, size - 1));
  if (open_pulled(sealed) != open_pushed(sealed, piece)) {
    std::abort(); // the two directions disagree on what the member holds
  }
  return 0;
}
