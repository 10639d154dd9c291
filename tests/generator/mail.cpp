// SPDX-License-Identifier: MIT
// Random base64 characters are exactly the base64 encoding of random bytes, so attachments
// are drawn as characters directly (10 per random word), which keeps generation fast.
#include "tests/generator/mail.hpp"

#include "tests/generator/text.hpp"

namespace pbk::tests::generator {
namespace {

constexpr char k_base64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void append_headers(Rng& rng, const MailSpec& spec, std::string_view content_type, std::string& h) {
  const std::string date = format_rfc2822(spec.time);
  const auto at = spec.from.find('@');
  const std::string from_domain =
      at == std::string::npos ? "example.com" : spec.from.substr(at + 1);
  // One random draw per statement: the order of operands of + is unspecified, and the
  // output must not depend on the compiler.
  const std::string relay = std::to_string(rng.below(90) + 10);
  const std::string relay_ip = ipv4(rng);
  const std::string queue_id = rng.alnum(12);
  const std::string selector = rng.alnum(6);
  const std::string body_hash = rng.alnum(43);
  h += "Received: from mail-" + relay + '.' + from_domain + " (" + relay_ip
       + ")\r\n\tby mx1.postal.example.net with ESMTPS; " + date + "\r\n";
  h += "Received: from localhost (localhost [127.0.0.1])\r\n\tby mail." + from_domain
       + " with ESMTP id " + queue_id + "; " + date + "\r\n";
  h += "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + from_domain + "; s=postal-"
       + selector + ";\r\n\tt=" + std::to_string(spec.time) + "; bh=" + body_hash
       + "=;\r\n\th=date:from:to:message-id:subject:mime-version;\r\n\tb=";
  for (int line = 0; line < 5; ++line) {
    h += rng.alnum(68) + (line < 4 ? "\r\n\t " : "==\r\n");
  }
  h += "Message-ID: <" + spec.message_id + ">\r\nDate: " + date + "\r\nFrom: " + spec.from
       + "\r\nTo: " + spec.to + "\r\nSubject: " + spec.subject
       + "\r\nMIME-Version: 1.0\r\nContent-Type: " + std::string(content_type)
       + "\r\nX-Postal-MsgID: " + spec.token + "\r\n";
}

void append_text_part(Rng& rng, const MailSpec& spec, std::string& b) {
  b += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";
  for (std::size_t p = 0; p < spec.paragraphs; ++p) {
    append_words(rng, b, 40 + rng.below(40));
    b += "\r\n";
    if (p < spec.links.size()) {
      b += spec.links[p] + "\r\n";
    }
    b += "\r\n";
  }
}

void append_html_part(Rng& rng, const MailSpec& spec, std::string& b) {
  b += "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
       "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"><style>body{font-family:Arial,"
       "sans-serif;color:#333}p{margin:0 0 12px}a{color:#1a73e8}</style></head>\r\n"
       "<body><table width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td>\r\n";
  for (std::size_t p = 0; p < spec.paragraphs; ++p) {
    b += "<p style=\"font-size:14px;line-height:20px\">";
    append_words(rng, b, 40 + rng.below(40));
    if (p < spec.links.size()) {
      b += "<a href=\"" + spec.links[p] + "\">";
      append_words(rng, b, 2);
      b += "</a>";
    }
    b += "</p>\r\n";
  }
  b += "<img src=\"https://track.postal.example.net/img/" + spec.token
       + "\" width=\"1\" height=\"1\" alt=\"\">\r\n</td></tr></table></body></html>\r\n";
}

void append_non_utf8_part(std::string& b) {
  b += "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
       "Caf\xe9 cr\xe8me br\xfbl\xe9"
       "e, \xdc"
       "ber, \xa9 2025\r\n";
  for (int i = 0; i < 256; ++i) {
    b.push_back(static_cast<char>(i));
  }
  b += "\r\nback\\slash \\0 \\N end\r\n";
}

} // namespace

void append_base64_lines(Rng& rng, std::string& out, std::size_t chars) {
  out.reserve(out.size() + chars + chars / 38 + 2);
  std::size_t in_line = 0;
  while (chars > 0) {
    std::uint64_t r = rng.next();
    for (int i = 0; i < 10 && chars > 0; ++i, --chars) {
      out.push_back(k_base64[r & 63]);
      r >>= 6;
      if (++in_line == 76) {
        out += "\r\n";
        in_line = 0;
      }
    }
  }
  if (in_line > 0) {
    out += "\r\n";
  }
}

void compose_mail(Rng& rng, const MailSpec& spec, RawMail& out) {
  out.headers.clear();
  out.body.clear();
  const std::string alt = "----=_Alt_" + rng.alnum(16);
  const std::string mixed = "----=_Mixed_" + rng.alnum(16);
  const bool multipart_mixed = spec.attachment_bytes > 0 || spec.non_utf8_part;
  append_headers(rng,
                 spec,
                 multipart_mixed ? "multipart/mixed; boundary=\"" + mixed + '"'
                                 : "multipart/alternative; boundary=\"" + alt + '"',
                 out.headers);

  std::string& b = out.body;
  if (multipart_mixed) {
    b += "This is a multi-part message in MIME format.\r\n\r\n--" + mixed
         + "\r\nContent-Type: multipart/alternative; boundary=\"" + alt + "\"\r\n\r\n";
  }
  b += "--" + alt + "\r\n";
  append_text_part(rng, spec, b);
  b += "--" + alt + "\r\n";
  append_html_part(rng, spec, b);
  b += "--" + alt + "--\r\n";
  if (spec.non_utf8_part) {
    b += "\r\n--" + mixed + "\r\n";
    append_non_utf8_part(b);
  }
  if (spec.attachment_bytes > 0) {
    const std::string name = "document-" + rng.alnum(6) + ".pdf";
    b += "\r\n--" + mixed + "\r\nContent-Type: application/pdf; name=\"" + name
         + "\"\r\nContent-Disposition: attachment; filename=\"" + name
         + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n";
    std::size_t chars = (spec.attachment_bytes + 2) / 3 * 4;
    if (spec.exact_body_size > 0) {
      const std::size_t rest = spec.exact_body_size - std::min(spec.exact_body_size, b.size() + 64);
      chars = rest / 78 * 76; // 76 characters + CRLF per line, whole base64 quanta
    }
    append_base64_lines(rng, b, chars);
  }
  if (multipart_mixed) {
    b += "--" + mixed + "--\r\n";
  }
  if (spec.exact_body_size > b.size()) {
    // MIME ignores text after the closing boundary (the epilogue), so padding there keeps
    // the message well-formed at an exact size.
    b.append(spec.exact_body_size - b.size(), ' ');
  }
}

} // namespace pbk::tests::generator
