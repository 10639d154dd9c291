// SPDX-License-Identifier: MIT
#include "tests/support/faulty_sink.hpp"

#include "core/error.hpp"

#include <cerrno>
#include <fstream>
#include <stdexcept>
#include <utility>

namespace pbk::test {

FaultySink::FaultySink(core::io::ByteSink& next, std::uint64_t fail_after, std::string label)
    : m_next(next),
      m_fail_after(fail_after),
      m_label(std::move(label)) {}

void FaultySink::write(std::span<const std::byte> data) {
  const std::uint64_t room = m_fail_after - m_bytes;
  if (data.size() <= room) {
    m_next.write(data);
    m_bytes += data.size();
    return;
  }
  if (room > 0) {
    m_next.write(data.first(room));
    m_bytes += room;
  }
  m_failed = true;
  throw core::IoError(core::describe_errno("cannot write to " + m_label, ENOSPC), ENOSPC);
}

void FaultySink::finish() {
  m_next.finish();
}

void flip_byte(const std::filesystem::path& file, std::uint64_t offset, unsigned char mask) {
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  if (!stream || std::filesystem::file_size(file) <= offset) {
    throw std::runtime_error("flip_byte: cannot reach offset " + std::to_string(offset) + " of "
                             + file.string());
  }
  stream.seekg(static_cast<std::streamoff>(offset));
  char byte = 0;
  stream.get(byte);
  byte = static_cast<char>(static_cast<unsigned char>(byte) ^ mask);
  stream.seekp(static_cast<std::streamoff>(offset));
  stream.put(byte);
  if (!stream.flush()) {
    throw std::runtime_error("flip_byte: cannot write " + file.string());
  }
}

void truncate_file(const std::filesystem::path& file, std::uint64_t size) {
  std::filesystem::resize_file(file, size);
}

} // namespace pbk::test
