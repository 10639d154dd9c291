// SPDX-License-Identifier: MIT
// RunningDigestSink adds every byte it passes on to a SHA-256 it borrows and that outlives it,
// so one digest covers what several sinks carried in turn: a table's content digest spans all
// of its rows members. `next` may be null, and then the bytes are only hashed. finish()
// finishes `next`, never the digest (its owner calls Sha256::finish_hex once all is written).
#pragma once

#include "core/hash/sha256.hpp"
#include "core/io/byte_sink.hpp"

namespace pbk::core::hash {

class RunningDigestSink : public io::ByteSink {
public:
  RunningDigestSink(Sha256& digest, io::ByteSink* next)
      : m_digest(digest),
        m_next(next) {}

  using io::ByteSink::write;

  void write(std::span<const std::byte> data) override {
    m_digest.update(data);
    if (m_next != nullptr) {
      m_next->write(data);
    }
  }

  void finish() override {
    if (m_next != nullptr) {
      m_next->finish();
    }
  }

private:
  Sha256& m_digest;
  io::ByteSink* m_next;
};

} // namespace pbk::core::hash
