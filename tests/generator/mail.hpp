// SPDX-License-Identifier: MIT
// Raw e-mails as Postal stores them: the header block and the body in two rows of a
// `raw-YYYY-MM-DD` table. Bodies are multipart text + HTML with tracked links, some with
// base64 attachments of incompressible bytes; lines end with CRLF as on the wire.
#pragma once

#include "tests/generator/random.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pbk::tests::generator {

struct MailSpec {
  std::string from;
  std::string to;
  std::string subject;
  std::string message_id;
  std::string token;
  std::int64_t time = 0;            // unix seconds
  std::vector<std::string> links;   // tracked URLs, appear in both parts
  std::size_t paragraphs = 4;       // of roughly 60 words each
  std::size_t attachment_bytes = 0; // 0: no attachment
  bool non_utf8_part = false;       // adds an 8-bit ISO-8859-1 part with every byte value
  std::size_t exact_body_size = 0;  // pads the body to exactly this many bytes
};

struct RawMail {
  std::string headers;
  std::string body;
};

// Fills `out` (reusing its capacity) with the message described by `spec`.
void compose_mail(Rng& rng, const MailSpec& spec, RawMail& out);

// Appends `chars` characters of base64 text, as 76-character CRLF lines, encoding random bytes.
void append_base64_lines(Rng& rng, std::string& out, std::size_t chars);

} // namespace pbk::tests::generator
