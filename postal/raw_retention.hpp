// SPDX-License-Identifier: MIT
// What Postal's raw-message retention leaves behind when it drops a raw table: the messages
// that pointed at it keep their rows with `raw_table`, `raw_headers_id`, `raw_body_id` and
// `size` set to NULL (Postal then shows "raw message no longer available"), and the table's
// `raw_message_sizes` row is gone. A restore that leaves raw tables out leaves the messages
// database exactly so, and Postal's invariants (postal_invariants.hpp) hold.
#pragma once

#include "core/db/connection.hpp"

#include <string>
#include <vector>

namespace pbk::postal {

// Unlinks `tables` (each a raw-YYYY-MM-DD name, else a runtime error naming it: the names come
// from an archive) in the message database `database` as retention does. Tables an older
// schema level lacks (messages, raw_message_sizes) are skipped.
void forget_raw_tables(core::db::Connection& connection,
                       const std::string& database,
                       const std::vector<std::string>& tables);

} // namespace pbk::postal
