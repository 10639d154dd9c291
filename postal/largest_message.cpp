// SPDX-License-Identifier: MIT
#include "postal/largest_message.hpp"

#include <charconv>

namespace pbk::postal {

std::optional<std::uint64_t> largest_message_size(core::db::Connection& connection,
                                                  const std::string& database) {
  // `size` is a varchar in every Postal release; NULL once retention dropped the raw table.
  const auto value = connection.query_value("SELECT MAX(CAST(size AS UNSIGNED)) FROM "
                                            + core::db::Connection::quote_identifier(database)
                                            + ".messages WHERE size IS NOT NULL");
  if (!value) {
    return std::nullopt;
  }
  std::uint64_t bytes = 0;
  const auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), bytes);
  if (error != std::errc() || end != value->data() + value->size()) {
    return std::nullopt;
  }
  return bytes;
}

} // namespace pbk::postal
