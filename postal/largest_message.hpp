// SPDX-License-Identifier: MIT
// The largest message a mail server's database holds, for `doctor`'s comparison with the
// server's max_allowed_packet and redo log. Read from `messages.size`, the size Postal
// records for each message's raw data, not from the raw tables: one pass over the small
// message rows instead of over every byte of mail (often hundreds of GB). The raw rows of a
// message (its headers, its body) are each at most its size, so this bounds the largest
// raw row from above.
#pragma once

#include "core/db/connection.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace pbk::postal {

// nullopt when no message records a size (none yet, or retention removed their raw data).
[[nodiscard]] std::optional<std::uint64_t> largest_message_size(core::db::Connection& connection,
                                                                const std::string& database);

} // namespace pbk::postal
