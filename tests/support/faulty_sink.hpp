// SPDX-License-Identifier: MIT
// Fault injection for tests (after restic's errorBackend and RocksDB's FaultInjectionTestFS):
// a sink that behaves like a disk filling up, and helpers that damage a file on disk the way
// bit rot or an interrupted copy would.
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace pbk::test {

// Passes the first `fail_after` bytes to `next` (borrowed), then throws
// IoError("cannot write to <label>: No space left on device", ENOSPC) on every later write,
// after forwarding the part of that write that still fits.
class FaultySink : public core::io::ByteSink {
public:
  FaultySink(core::io::ByteSink& next, std::uint64_t fail_after, std::string label = "faulty sink");

  using ByteSink::write;
  void write(std::span<const std::byte> data) override;
  void finish() override;

  [[nodiscard]] std::uint64_t bytes() const noexcept { return m_bytes; }

  [[nodiscard]] bool failed() const noexcept { return m_failed; }

private:
  core::io::ByteSink& m_next;
  std::uint64_t m_fail_after;
  std::string m_label;
  std::uint64_t m_bytes = 0;
  bool m_failed = false;
};

// XORs the byte at `offset` with `mask` (default: flips its lowest bit). Throws if the file is
// shorter than offset + 1.
void flip_byte(const std::filesystem::path& file, std::uint64_t offset, unsigned char mask = 0x01);

// Cuts the file to `size` bytes, as an interrupted copy would.
void truncate_file(const std::filesystem::path& file, std::uint64_t size);

} // namespace pbk::test
