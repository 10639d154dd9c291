// SPDX-License-Identifier: MIT
// Words, names, dates and the edge-case strings shared by the main-DB and message-DB
// generators. Every edge case a backup must carry byte for byte lives here, so both
// databases get the same set (tabs, CR/LF, backslashes, NUL, 0x1A, multi-byte UTF-8).
#pragma once

#include "tests/generator/random.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace pbk::tests::generator {

// Appends `count` words of prose (mostly ASCII, some accented words) separated by spaces.
void append_words(Rng& rng, std::string& out, std::size_t count);
std::string words(Rng& rng, std::size_t count);
std::string capitalized_words(Rng& rng, std::size_t count);
std::string_view first_name(Rng& rng);
std::string_view last_name(Rng& rng);
std::string_view city(Rng& rng);
std::string_view country(Rng& rng);
std::string_view user_agent(Rng& rng);
std::string ipv4(Rng& rng);

// Text with every byte a careless dump mangles; emoji only when the column is utf8mb4.
std::string edge_text(bool four_byte_utf8);
// Exactly `chars` characters of `unit` repeated (a maximum-length varchar value).
std::string repeat_to_length(std::string_view unit, std::size_t chars);

// Unix seconds of a "YYYY-MM-DD" date (UTC midnight); throws std::invalid_argument.
std::int64_t parse_date(std::string_view date);
std::string format_date(std::int64_t unix_seconds);        // YYYY-MM-DD
std::string format_datetime(std::int64_t unix_micros);     // YYYY-MM-DD HH:MM:SS.ffffff
std::string format_rfc2822(std::int64_t unix_seconds);     // Wed, 01 Jan 2025 10:00:00 +0000
std::string format_decimal_time(std::int64_t unix_micros); // 1735725600.123456

} // namespace pbk::tests::generator
