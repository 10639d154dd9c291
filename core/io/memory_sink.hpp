// SPDX-License-Identifier: MIT
// End stages that need no file: MemorySink collects everything (small members such as
// backup.json, and tests); NullSink discards everything (verify without a database).
#pragma once

#include "core/io/byte_sink.hpp"

#include <cstddef>
#include <string_view>
#include <vector>

namespace pbk::core::io {

class MemorySink : public ByteSink {
public:
  using ByteSink::write;

  void write(std::span<const std::byte> data) override {
    m_data.insert(m_data.end(), data.begin(), data.end());
  }

  void finish() override { m_finished = true; }

  [[nodiscard]] const std::vector<std::byte>& data() const noexcept { return m_data; }

  [[nodiscard]] std::size_t size() const noexcept { return m_data.size(); }

  // The collected bytes viewed as text (no copy); valid until the next write or clear().
  [[nodiscard]] std::string_view view() const noexcept {
    return {reinterpret_cast<const char*>(m_data.data()), m_data.size()};
  }

  // Whether finish() was called since construction or the last clear().
  [[nodiscard]] bool finished() const noexcept { return m_finished; }

  void clear() noexcept {
    m_data.clear();
    m_finished = false;
  }

private:
  std::vector<std::byte> m_data;
  bool m_finished = false;
};

class NullSink : public ByteSink {
public:
  using ByteSink::write;

  void write(std::span<const std::byte>) override {}

  void finish() override {}
};

} // namespace pbk::core::io
